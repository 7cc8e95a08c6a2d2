import TrainKitCore

/// Returns its input unchanged: `y = x`. Any shape. A placeholder where a layer is optional.
public final class Identity: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public init() {}
    public func forward(_ x: Tensor) -> Tensor { x }
}
