import TrainKitCore
import TrainKitNN

/// A fully connected autoencoder (model kind `autoencoder`): `x̂ = decoder(encoder(x))`, trained to
/// reconstruct its (standardized) input under the mean squared error.
///
/// encoder: `Linear → act → [Dropout]` per hidden width, then `Linear` to the `latent` code;
/// decoder: the mirror image (`act` after the code, the hidden widths reversed, `Linear` back to the input).
/// Shapes: `[B, F]` → `[B, F]`; ``encode(_:)`` gives the codes `[B, latent]`.
public final class Autoencoder: Layer {
    public let moduleState = ModuleState()
    public let encoder: Sequential
    public let decoder: Sequential

    /// - Parameters:
    ///   - inputSize: features `F`; `hidden`: the encoder's widths (the decoder uses them reversed).
    ///   - latent: the code width; `dropout`: after every hidden activation (0 for none).
    ///   - activation: makes one activation layer, e.g. `{ ReLU() }`.
    public init(inputSize: Int, hidden: [Int], latent: Int, dropout: Double, activation: () -> any Layer) {
        func stack(_ widths: [Int], from start: Int, to end: Int, leadingActivation: Bool) -> Sequential {
            var layers: [any Layer] = leadingActivation ? [activation()] : []
            var width = start
            for h in widths {
                layers.append(Linear(width, h))
                layers.append(activation())
                if dropout > 0 { layers.append(Dropout(p: dropout)) }
                width = h
            }
            layers.append(Linear(width, end))
            return Sequential(layers)
        }
        encoder = stack(hidden, from: inputSize, to: latent, leadingActivation: false)
        decoder = stack(hidden.reversed(), from: latent, to: inputSize, leadingActivation: true)
    }

    public func encode(_ x: Tensor) -> Tensor { encoder(x) }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, inputShapeMessage(expected: "[B, F]", got: x.shape))
        return decoder(encoder(x))
    }
}
