import TrainKitCore

/// A building block of a model: parameters, buffers and child modules in a name-keyed tree.
///
/// Conforming types are classes whose parameters (``Parameter``), buffers (``Buffer``) and child modules
/// sit in `let` properties. The tree is found by reflection (`Mirror`) the first time it is needed and
/// cached in ``moduleState``; names come from property labels and join into dotted paths that double as
/// checkpoint keys (`encoder.layers.2.fc1.weight`). Arrays get index names (`layers.0`), dictionaries
/// their sorted keys, optionals count when set, and superclass properties come first. Renaming a stored
/// property therefore changes the checkpoint format.
///
/// A module with a different layout (``Sequential`` names its layers `0`, `1`, ...) overrides
/// ``ownEntries``. Keep the tree fixed after `init` (`let` properties): the walk is cached, and values
/// replaced later would not be seen. Do not store references to an ancestor module in a property: the
/// walk would take it for a child.
///
/// ```swift
/// final class MLP: Layer {
///     let moduleState = ModuleState()
///     let fc1 = Linear(784, 128), fc2 = Linear(128, 10)
///     func forward(_ x: Tensor) -> Tensor { fc2(fc1(x).relu()) }
/// }
/// MLP().namedParameters.map(\.name)   // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
/// ```
public protocol Module: AnyObject {
    /// Bookkeeping every module carries: mode, place in the tree and the cached entries.
    var moduleState: ModuleState { get }
    /// This module's own parameters, buffers and direct children, by name, in a fixed order.
    /// The default finds them by reflection once and caches them.
    var ownEntries: [(name: String, entry: ModuleEntry)] { get }
}

/// A layer maps one tensor to one tensor, so layers chain in a ``Sequential``.
///
/// Write the computation in ``forward(_:)`` and call the layer as `layer(x)`: the default
/// ``callAsFunction(_:)`` runs the layer's hooks (Module+Hooks.swift) around `forward`, as PyTorch's
/// `module(x)` does around `module.forward(x)`. A layer that implements `callAsFunction(_:)` itself
/// still works (`forward` then calls it) but bypasses its hooks. Implement one of the two: a layer
/// with neither recurses forever.
public protocol Layer: Module {
    /// The layer's computation, `y = f(x)`, without hooks.
    func forward(_ x: Tensor) -> Tensor
    /// Applies the layer: forward pre-hooks, ``forward(_:)``, forward hooks and the full backward hooks'
    /// recording. Provided; layers implement ``forward(_:)``.
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// One named item of a module: a parameter, a buffer or a child module.
public enum ModuleEntry {
    case parameter(Parameter)
    case buffer(Buffer)
    case module(any Module)
}

/// A tensor that belongs to a module's state without being trained (BatchNorm's running statistics).
/// Saved in ``Module/stateDict()``, never handed to an optimizer.
public final class Buffer: @unchecked Sendable {
    /// The current value (detached).
    public var value: Tensor {
        didSet { value = value.detach() }
    }
    public init(_ value: Tensor) { self.value = value.detach() }
    public var shape: [Int] { value.shape }
}

/// Per-module bookkeeping: training mode, the parent link that gives the module its path, and the
/// cached reflection result.
public final class ModuleState: @unchecked Sendable {
    /// Whether the module is in training mode (Dropout drops, BatchNorm uses batch statistics).
    public internal(set) var isTraining = true
    weak var parent: (any Module)?
    var nameInParent = ""
    var cachedEntries: [(name: String, entry: ModuleEntry)]?
    /// Forward and backward hooks (Module+Hooks.swift); nil, and free, when none was registered.
    var hooks: ModuleHooks?

    public init() {}
}

// MARK: - Reflection

extension Module {
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        if let cached = moduleState.cachedEntries { return cached }
        let entries = ModuleReflection.entries(of: self)
        moduleState.cachedEntries = entries
        return entries
    }
}

enum ModuleReflection {
    /// Walks the object's stored properties, superclass first.
    static func entries(of object: AnyObject) -> [(name: String, entry: ModuleEntry)] {
        var mirrors: [Mirror] = []
        var current: Mirror? = Mirror(reflecting: object)
        while let m = current {
            mirrors.append(m)
            current = m.superclassMirror
        }
        var result: [(name: String, entry: ModuleEntry)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard let label = child.label else { continue }
                collect(cleanLabel(label), child.value, into: &result)
            }
        }
        return result
    }

    /// Strips the prefixes Swift gives lazy storage and property-wrapper storage.
    static func cleanLabel(_ label: String) -> String {
        let lazyPrefix = "$__lazy_storage_$_"
        if label.hasPrefix(lazyPrefix) { return String(label.dropFirst(lazyPrefix.count)) }
        if label.hasPrefix("_") && label.count > 1 { return String(label.dropFirst()) }
        return label
    }

    static func collect(_ name: String, _ value: Any, into result: inout [(name: String, entry: ModuleEntry)]) {
        switch value {
        case is ModuleState: return
        case let p as Parameter: result.append((name, .parameter(p)))
        case let b as Buffer: result.append((name, .buffer(b)))
        case let m as any Module: result.append((name, .module(m)))
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                if let some = mirror.children.first { collect(name, some.value, into: &result) }
            case .collection:
                guard let first = mirror.children.first, mayHoldEntries(first.value) else { return }
                for (i, element) in mirror.children.enumerated() { collect("\(name).\(i)", element.value, into: &result) }
            case .dictionary:
                var pairs: [(key: String, value: Any)] = []
                for element in mirror.children {
                    let parts = Array(Mirror(reflecting: element.value).children)
                    guard parts.count == 2 else { continue }
                    pairs.append(("\(parts[0].value)", parts[1].value))
                }
                for pair in pairs.sorted(by: { $0.key < $1.key }) { collect("\(name).\(pair.key)", pair.value, into: &result) }
            default:
                return
            }
        }
    }

    /// Whether a collection element could be (or contain) a parameter, buffer or module; arrays of plain
    /// values are skipped without visiting every element.
    static func mayHoldEntries(_ value: Any) -> Bool {
        if value is Parameter || value is Buffer || value is any Module { return true }
        switch Mirror(reflecting: value).displayStyle {
        case .optional, .collection, .dictionary, .tuple: return true
        default: return false
        }
    }
}

// MARK: - The tree

extension Module {
    /// The direct entries, linking each child module to this one (first parent wins for shared modules).
    func linkedEntries() -> [(name: String, entry: ModuleEntry)] {
        let entries = ownEntries
        for (name, entry) in entries {
            if case .module(let child) = entry, child.moduleState.parent == nil, child !== self {
                child.moduleState.parent = self
                child.moduleState.nameInParent = name
            }
        }
        return entries
    }

    /// Every module of the tree with its path relative to this one (`""` for this module), parents
    /// before children. A module reachable at two paths appears once, at the first.
    public var namedModules: [(name: String, module: any Module)] {
        var seen: Set<ObjectIdentifier> = []
        var out: [(name: String, module: any Module)] = []
        func visit(_ m: any Module, _ prefix: String) {
            guard seen.insert(ObjectIdentifier(m)).inserted else { return }
            out.append((prefix, m))
            for (name, entry) in m.linkedEntries() {
                if case .module(let child) = entry { visit(child, prefix.isEmpty ? name : "\(prefix).\(name)") }
            }
        }
        visit(self, "")
        return out
    }

    /// Every module of the tree (this one first).
    public var modules: [any Module] { namedModules.map(\.module) }

    /// Walks parameters and buffers with their dotted names; each object once, at its first path.
    func namedLeaves() -> [(name: String, entry: ModuleEntry)] {
        var seen: Set<ObjectIdentifier> = []
        var out: [(name: String, entry: ModuleEntry)] = []
        for (prefix, module) in namedModules {
            for (name, entry) in module.linkedEntries() {
                let full = prefix.isEmpty ? name : "\(prefix).\(name)"
                switch entry {
                case .parameter(let p): if seen.insert(ObjectIdentifier(p)).inserted { out.append((full, entry)) }
                case .buffer(let b): if seen.insert(ObjectIdentifier(b)).inserted { out.append((full, entry)) }
                case .module: continue
                }
            }
        }
        return out
    }

    /// Every parameter with its dotted path (`encoder.fc1.weight`), in PyTorch's fixed order: module by
    /// module (parents before children, children in declaration order), each module's own parameters in
    /// declaration order. A parameter shared by two modules appears once.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        namedLeaves().compactMap { if case .parameter(let p) = $0.entry { ($0.name, p) } else { nil } }
    }

    /// Every parameter, in the order of ``namedParameters``.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The parameters an optimizer should update (not frozen).
    public var trainableParameters: [Parameter] { parameters.filter(\.isTrainable) }

    /// Every buffer with its dotted path.
    public var namedBuffers: [(name: String, buffer: Buffer)] {
        namedLeaves().compactMap { if case .buffer(let b) = $0.entry { ($0.name, b) } else { nil } }
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Training (`true`, the default) or evaluation mode. Setting it sets every module of the tree, like
    /// PyTorch's `model.train()` / `model.eval()`.
    public var isTraining: Bool {
        get { moduleState.isTraining }
        set { for m in modules { m.moduleState.isTraining = newValue } }
    }

    /// Freezes every parameter: they get no gradient and ``trainableParameters`` leaves them out.
    public func freeze() { for p in parameters { p.isTrainable = false } }

    /// Undoes ``freeze()``.
    public func unfreeze() { for p in parameters { p.isTrainable = true } }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// The dotted path of this module from the root of the model it was found in (`encoder.fc1`), or `""`
    /// for a root. Paths are known once the root has been walked (any of ``namedParameters``,
    /// ``parameters``, ``stateDict()``, ``isTraining`` on the root, or building a ``Sequential``).
    public var path: String {
        var parts: [String] = []
        var node: (any Module)? = self
        var hops = 0
        while let m = node, let parent = m.moduleState.parent, hops < 1000 {
            parts.append(m.moduleState.nameInParent)
            node = parent
            hops += 1
        }
        return parts.reversed().joined(separator: ".")
    }

    /// `"encoder.fc1 (Linear)"`, or `"Linear"` for a root: how errors name this module.
    public var pathDescription: String {
        let type = String(describing: Swift.type(of: self))
        let p = path
        return p.isEmpty ? type : "\(p) (\(type))"
    }

    /// The message a layer stops with on a wrong input shape:
    /// `"encoder.fc1 (Linear): expected input [*, 784], got [32, 100]"`.
    public func inputShapeMessage(expected: String, got shape: [Int]) -> String {
        "\(pathDescription): expected input \(expected), got \(shape)"
    }
}

// MARK: - PyTorch's mode switches

extension Module {
    /// Evaluation mode for the whole tree (Dropout passes through, BatchNorm uses its running statistics),
    /// as PyTorch's `model.eval()`. Returns the module, so `let net = Net().eval()` reads as in PyTorch.
    @discardableResult
    public func eval() -> Self {
        isTraining = false
        return self
    }

    /// Training mode (`true`, the default) or evaluation mode for the whole tree, as `model.train(mode)`.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        isTraining = mode
        return self
    }
}
