import TrainKit

/// Maps a standardized regression output back to the target's units: `y = mean + std · x`, shape kept.
///
/// `mean` and `std` are buffers (saved with the weights, never trained), fixed from the training targets,
/// so the network learns on a unit scale while its outputs, losses and metrics are in the data's units.
public final class TargetScale: Layer {
    public let moduleState = ModuleState()
    public let mean: Buffer
    public let std: Buffer

    public init(mean: Double, std: Double) {
        self.mean = Buffer(Tensor([Float(mean)], shape: [1]))
        self.std = Buffer(Tensor([Float(std)], shape: [1]))
    }

    public func forward(_ x: Tensor) -> Tensor { x * std.value + mean.value }
}
