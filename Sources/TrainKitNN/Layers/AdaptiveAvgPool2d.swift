import TrainKitCore

/// 2-d adaptive average pooling to a fixed output size: cell `i` averages rows
/// `[⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)` (likewise columns). Shapes: `[N, C, H, W] -> [N, C, oH, oW]`.
public final class AdaptiveAvgPool2d: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let outputSize: Size2d

    public init(_ outputSize: Size2d) { self.outputSize = outputSize }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 || x.rank == 4, inputShapeMessage(expected: "[N, C, H, W]", got: x.shape))
        return adaptiveAvgPool2d(x, outputSize: outputSize)
    }
}
