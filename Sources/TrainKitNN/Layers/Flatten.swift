import TrainKitCore

/// Merges dimensions `startDim...endDim` into one.
///
/// Shapes: `[N, C, H, W] -> [N, C·H·W]` with the defaults (`startDim: 1, endDim: -1`).
public final class Flatten: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let startDim: Int
    public let endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    public func forward(_ x: Tensor) -> Tensor {
        let s = startDim < 0 ? startDim + x.rank : startDim, e = endDim < 0 ? endDim + x.rank : endDim
        precondition(x.rank == 0 || (s >= 0 && e < x.rank && s <= e),
                     inputShapeMessage(expected: "rank > max(\(startDim), \(endDim))", got: x.shape))
        return x.flatten(startDim: startDim, endDim: endDim)
    }
}
