import TrainKitCore

/// Applies its layers in order: `y = layerₙ(…layer₂(layer₁(x)))`.
///
/// Layers are named by position, so parameters read `0.weight`, `2.bias`, and a nested `Sequential`
/// gives `1.0.weight`, as in PyTorch's `nn.Sequential`. Building one walks the tree, so every layer
/// inside knows its path for error messages. A `Conv2d` directly followed by `ReLU` runs as one fused op
/// (same values and gradients, one pass less) unless either has hooks.
///
/// ```swift
/// let model = Sequential {
///     Conv2d(1, 6, kernelSize: 5, padding: 2); ReLU(); MaxPool2d(2)
///     Flatten(); Linear(6 * 14 * 14, 10)
/// }
/// ```
public final class Sequential: Layer {
    public let moduleState = ModuleState()
    public let layers: [any Layer]

    /// Indices of the `ReLU` layers applied inside the `Conv2d` just before them.
    private let fusedReLUs: Set<Int>

    public init(_ layers: [any Layer]) {
        self.layers = layers
        fusedReLUs = Set(layers.indices.dropFirst().filter { layers[$0] is ReLU && layers[$0 - 1] is Conv2d })
        _ = namedModules  // link children so their paths are known
    }

    public convenience init(@LayerBuilder _ build: () -> [any Layer]) {
        self.init(build())
    }

    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        layers.enumerated().map { (String($0.offset), .module($0.element)) }
    }

    public var count: Int { layers.count }
    public subscript(index: Int) -> any Layer { layers[index] }

    /// Fusion skips a pair where either layer has hooks, so every layer's hooks run.
    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        var i = 0
        while i < layers.count {
            if fusedReLUs.contains(i + 1), let conv = layers[i] as? Conv2d, !conv.hasHooks, !layers[i + 1].hasHooks {
                y = conv(y, relu: true)
                i += 2
            } else {
                y = layers[i](y)
                i += 1
            }
        }
        return y
    }
}

/// Collects layers for ``Sequential`` (`if`, `if`/`else` and `for` work inside).
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildExpression(_ layers: [any Layer]) -> [any Layer] { layers }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
    public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
    public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}
