import TrainKitCore
import TrainKitNN

/// A stack of `Linear` + activation layers as SB3's `create_mlp` builds it: `[in → h₁ → … → hₖ]`, each
/// Linear followed by the activation, saved as a `Sequential` (`0.weight`, `0.bias`, `2.weight`, …: PyTorch's
/// names, so SB3's `policy_net`/`q_net` state dicts line up key for key).
///
/// Shapes: `[B, in] → [B, hₖ]` (`[B, in]` unchanged when `hidden` is empty).
enum MLPNetwork {
    /// - Parameters:
    ///   - gain: orthogonal initialisation with this gain and zero biases (SB3's `ortho_init`); nil keeps
    ///     PyTorch's default `Linear` initialisation (DQN).
    ///   - outputs: an optional last Linear without activation (DQN's Q head).
    static func make(inputs: Int, hidden: [Int], outputs: Int? = nil, activation: Activation,
                     gain: Double?, outputGain: Double? = nil, key: RandomKey) -> Sequential {
        var layers: [any Layer] = []
        var width = inputs
        let keys = key.split(hidden.count + 1)
        for (i, h) in hidden.enumerated() {
            layers.append(linear(width, h, gain: gain, key: keys[i]))
            layers.append(activation.layer())
            width = h
        }
        if let outputs { layers.append(linear(width, outputs, gain: outputGain ?? gain, key: keys[hidden.count])) }
        return Sequential(layers)
    }

    /// One `Linear(inputs, outputs)`: orthogonal `weight · gain` and zero bias, or PyTorch's default when
    /// `gain` is nil.
    static func linear(_ inputs: Int, _ outputs: Int, gain: Double?, key: RandomKey) -> Linear {
        guard let gain else { return Linear(inputs, outputs, key: key) }
        return Linear(weight: Initializers.orthogonal([outputs, inputs], gain: gain, key: key),
                      bias: Tensor.zeros([outputs]))
    }
}
