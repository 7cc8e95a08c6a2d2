import TrainKitCore

/// 2-d average pooling: `y = Σ_window x / divisor`, the divisor being `kH·kW` (`countIncludePad`) or the
/// number of non-padding elements. Shapes: `[N, C, H, W] -> [N, C, oH, oW]`, `oH = ⌊(H + 2p - k)/s⌋ + 1`.
public final class AvgPool2d: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let kernelSize: Size2d
    public let stride: Size2d
    public let padding: Size2d
    public let countIncludePad: Bool

    public init(_ kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.countIncludePad = countIncludePad
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 || x.rank == 4, inputShapeMessage(expected: "[N, C, H, W]", got: x.shape))
        return avgPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, countIncludePad: countIncludePad)
    }
}
