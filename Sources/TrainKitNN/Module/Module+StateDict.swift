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
    /// Every parameter and buffer by dotted name (`fc1.weight`, `bn.running_mean`), detached. Built-in layers
    /// use PyTorch's names, so the dictionary loads into the equivalent PyTorch model with `strict=True`.
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
    /// Keys written by an earlier TrainKit, before built-in layers took PyTorch's names (`bn.runningMean`,
    /// `weightIH.0`, `selfAttention.inProjWeight`), are read under their current names first
    /// (``upgradingLegacyKeys(_:)``), so old checkpoints still load.
    ///
    /// Everything is checked before anything is written: a key the model has but the dict lacks, a key
    /// the dict has but the model lacks (when `strict`), or a shape that differs throws a
    /// ``StateDictError`` naming the key, and the model is left unchanged. Values are converted to each
    /// entry's current dtype.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        let stateDict = upgradingLegacyKeys(stateDict)
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

// MARK: - Checkpoints written before the PyTorch names

extension Module {
    /// `stateDict` with every key written by an earlier TrainKit renamed to its current name.
    ///
    /// A key is renamed when the model does not know it, the model's ``legacyEntryNames`` (at every level of the
    /// path) turn it into a key the model does know, and the dictionary does not hold that key already. Every
    /// other key is left as it is, so a current state dict comes back unchanged, and a key neither name explains
    /// is still reported by ``load(stateDict:strict:)``.
    ///
    /// ```swift
    /// let bn = BatchNorm1d(4)
    /// bn.upgradingLegacyKeys(["runningMean": m, "running_var": v]).keys   // running_mean, running_var
    /// ```
    public func upgradingLegacyKeys(_ stateDict: [String: Tensor]) -> [String: Tensor] {
        let known = Set(stateDictKeys)
        guard stateDict.keys.contains(where: { !known.contains($0) }) else { return stateDict }
        let renames = legacyKeys()
        var out = stateDict
        for (key, value) in stateDict where !known.contains(key) {
            guard let current = renames[key], known.contains(current), stateDict[current] == nil else { continue }
            out[key] = nil
            out[current] = value
        }
        return out
    }

    /// Whether `stateDict` uses any key from before the PyTorch names (one ``upgradingLegacyKeys(_:)`` renames).
    public func usesLegacyKeys(_ stateDict: [String: Tensor]) -> Bool {
        Set(upgradingLegacyKeys(stateDict).keys) != Set(stateDict.keys)
    }

    /// The earlier full key of every parameter and buffer whose key changed, mapped to the current key.
    public func legacyKeys() -> [String: String] {
        var map: [String: String] = [:]
        for (current, legacy, _) in legacyLeaves() where current != legacy { map[legacy] = current }
        return map
    }

    /// Every parameter in the order an earlier TrainKit listed them (``legacyEntryNames`` gives each module's
    /// earlier order). An optimizer state saved then numbered the parameters in this order.
    public var legacyParameterOrder: [Parameter] {
        legacyLeaves().compactMap { if case .parameter(let p) = $0.entry { p } else { nil } }
    }

    /// Leaves with current and earlier full names, in the earlier order, each object once (as ``namedLeaves()``).
    func legacyLeaves() -> [(current: String, legacy: String, entry: ModuleEntry)] {
        var seenModules: Set<ObjectIdentifier> = []
        var seenLeaves: Set<ObjectIdentifier> = []
        var modules: [(module: any Module, path: String, legacyPath: String)] = []
        func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }
        func visit(_ m: any Module, _ path: String, _ legacyPath: String) {
            guard seenModules.insert(ObjectIdentifier(m)).inserted else { return }
            modules.append((m, path, legacyPath))
            let legacyOf = Dictionary(m.legacyEntryNames.map { ($0.current, $0.legacy) }, uniquingKeysWith: { a, _ in a })
            for (name, entry) in m.linkedEntries() {
                guard case .module(let child) = entry else { continue }
                visit(child, join(path, name), join(legacyPath, legacyOf[name] ?? name))
            }
        }
        visit(self, "", "")
        var out: [(current: String, legacy: String, entry: ModuleEntry)] = []
        for (m, path, legacyPath) in modules {
            let legacy = m.legacyEntryNames
            let legacyOf = Dictionary(legacy.map { ($0.current, $0.legacy) }, uniquingKeysWith: { a, _ in a })
            var leaves = m.linkedEntries().filter { if case .module = $0.entry { false } else { true } }
            // The earlier order, when the table lists every leaf (a recurrent layer listed all `weightIH` first).
            let rank = Dictionary(legacy.enumerated().map { ($1.current, $0) }, uniquingKeysWith: { a, _ in a })
            if leaves.allSatisfy({ rank[$0.name] != nil }) { leaves.sort { rank[$0.name]! < rank[$1.name]! } }
            for (name, entry) in leaves {
                let id: ObjectIdentifier
                switch entry {
                case .parameter(let p): id = ObjectIdentifier(p)
                case .buffer(let b): id = ObjectIdentifier(b)
                case .module: continue
                }
                guard seenLeaves.insert(id).inserted else { continue }
                out.append((join(path, name), join(legacyPath, legacyOf[name] ?? name), entry))
            }
        }
        return out
    }
}
