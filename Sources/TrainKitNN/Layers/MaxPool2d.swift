import TrainKitCore

/// 2-d max pooling: each output is the largest input in its window (padding counts as -∞).
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N), `oH = ⌊(H + 2p - d(k-1) - 1)/s⌋ + 1`;
/// `stride` defaults to `kernelSize`. No parameters.
public final class MaxPool2d: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let kernelSize: Size2d
    public let stride: Size2d
    public let padding: Size2d
    public let dilation: Size2d

    public init(_ kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0, dilation: Size2d = 1) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 || x.rank == 4, inputShapeMessage(expected: "[N, C, H, W]", got: x.shape))
        return maxPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation)
    }
}
