import TrainKitCore

/// Why ``Module/load(stateDict:strict:)`` refused a state dict. Each case names the key.
public enum StateDictError: Error, Equatable, CustomStringConvertible {
    /// The model has `key` but the state dict does not.
    case missingKey(String)
    /// The state dict has `key` but the model does not.
    case unexpectedKey(String)
    /// `key` exists on both sides with different shapes.
    case shapeMismatch(key: String, expected: [Int], got: [Int])
    /// `key` holds a tensor whose dtype cannot be converted (e.g. a bool tensor for a float parameter).
    case dtypeMismatch(key: String, expected: DType, got: DType)

    public var description: String {
        switch self {
        case .missingKey(let key): "state dict is missing key '\(key)'"
        case .unexpectedKey(let key): "state dict has unexpected key '\(key)'"
        case .shapeMismatch(let key, let expected, let got):
            "state dict entry '\(key)' has shape \(got), the model expects \(expected)"
        case .dtypeMismatch(let key, let expected, let got):
            "state dict entry '\(key)' has dtype \(got), the model expects \(expected)"
        }
    }
}

extension Module {
    /// Every parameter and buffer by dotted name (`fc1.weight`, `bn.runningMean`), detached.
    ///
    /// The tensors are immutable values, so the dictionary is a snapshot that can cross threads and be
    /// written to a checkpoint while training goes on.
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, entry) in namedLeaves() {
            switch entry {
            case .parameter(let p): out[name] = p.detachedValue
            case .buffer(let b): out[name] = b.value
            case .module: break
            }
        }
        return out
    }

    /// The keys of ``stateDict()`` in model order.
    public var stateDictKeys: [String] { namedLeaves().map(\.name) }

    /// Replaces parameter and buffer values from `stateDict`.
    ///
    /// Everything is checked before anything is written: a key the model has but the dict lacks, a key
    /// the dict has but the model lacks (when `strict`), or a shape that differs throws a
    /// ``StateDictError`` naming the key, and the model is left unchanged. Values are converted to each
    /// entry's current dtype.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        let leaves = namedLeaves()
        var updates: [(ModuleEntry, Tensor)] = []
        for (name, entry) in leaves {
            let current: Tensor
            switch entry {
            case .parameter(let p): current = p.detachedValue
            case .buffer(let b): current = b.value
            case .module: continue
            }
            guard let given = stateDict[name] else {
                if strict { throw StateDictError.missingKey(name) }
                continue
            }
            guard given.shape == current.shape else {
                throw StateDictError.shapeMismatch(key: name, expected: current.shape, got: given.shape)
            }
            if current.dtype.isFloatingPoint != given.dtype.isFloatingPoint && given.dtype == .bool {
                throw StateDictError.dtypeMismatch(key: name, expected: current.dtype, got: given.dtype)
            }
            updates.append((entry, given.detach().to(current.dtype).detach()))
        }
        if strict {
            let known = Set(leaves.map(\.name))
            if let extra = stateDict.keys.sorted().first(where: { !known.contains($0) }) {
                throw StateDictError.unexpectedKey(extra)
            }
        }
        for (entry, value) in updates {
            switch entry {
            case .parameter(let p): p.value = value
            case .buffer(let b): b.value = value
            case .module: break
            }
        }
    }
}
