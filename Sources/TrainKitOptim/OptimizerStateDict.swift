import Foundation
import TrainKitCore

/// An optimizer's saved state (PyTorch `optimizer.state_dict()`): the buffers as tensors, everything else as
/// JSON-encodable metadata, so a checkpoint can put the tensors in safetensors and the metadata beside them.
///
/// Parameters are numbered across groups in order (group 0's first parameter is 0), as in PyTorch. Tensor keys
/// are `state.<index>.<slot>` with PyTorch's slot names (`state.3.exp_avg`, see `ParameterState.Slot`); each is
/// shaped like its parameter and of its dtype.
///
/// The layout is versioned by `OptimizerMetadata.format`: format 1 (before float64 parameters, no `format` key
/// in the metadata) had float32 tensors only and loads as it is; format 2 (`OptimizerMetadata.currentFormat`)
/// allows float64. A format newer than this code reads is refused with `OptimizerStateError.unsupportedFormat`.
public struct OptimizerStateDict: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: OptimizerMetadata

    public init(tensors: [String: Tensor], metadata: OptimizerMetadata) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// The non-tensor part of an `OptimizerStateDict`.
public struct OptimizerMetadata: Codable, Sendable, Equatable {
    /// The format this code writes: 2 (state tensors in the parameter's dtype, float32 or float64).
    public static let currentFormat = 2
    /// The oldest format this code reads: 1 (float32 state tensors; its metadata has no `format` key).
    public static let oldestFormat = 1
    /// The layout version of the state dict this metadata belongs to (1 when the key is absent).
    public var format: Int = OptimizerMetadata.currentFormat
    /// `UpdateRule.name` of the optimizer that saved it.
    public var rule: String
    public var groups: [Group]
    /// One entry per parameter index; nil for a parameter that has not stepped yet.
    public var parameters: [ParameterEntry?]

    public struct Group: Codable, Sendable, Equatable {
        public var parameterCount: Int
        /// The group's hyperparameters by the rule's property names (`lr`, `beta1`, `amsgrad`, ...).
        public var hyperparameters: [String: HyperparameterValue]
        public var initialLR: Double?
    }

    public struct ParameterEntry: Codable, Sendable, Equatable {
        public var step: Int
        /// The `ParameterState.Slot` names of the tensors saved as `state.<index>.<name>`.
        public var buffers: [String]
        /// Scalars by PyTorch name (`mu_product`).
        public var scalars: [String: Double]
    }

    enum CodingKeys: String, CodingKey {
        case format, rule, groups, parameters
    }
}

extension OptimizerMetadata {
    /// Decodes metadata of any format; one without a `format` key is format 1.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(Int.self, forKey: .format) ?? 1
        rule = try container.decode(String.self, forKey: .rule)
        groups = try container.decode([Group].self, forKey: .groups)
        parameters = try container.decode([ParameterEntry?].self, forKey: .parameters)
    }
}

/// A hyperparameter value in metadata: a number or a flag.
public enum HyperparameterValue: Codable, Sendable, Equatable {
    case number(Double)
    case flag(Bool)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        }
    }
}

/// Why `load(stateDict:)` refused a state; nothing is changed when it throws.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    /// The state was saved in a format this code does not read (a newer TrainKit's).
    case unsupportedFormat(found: Int, oldest: Int, newest: Int)
    case ruleMismatch(expected: String, found: String)
    case groupCountMismatch(expected: Int, found: Int)
    case parameterCountMismatch(group: Int, expected: Int, found: Int)
    case missingTensor(key: String)
    /// A state tensor or scalar that no rule keeps (`state.0.foo`, or `state.0.<scalar name>`).
    case unknownStateEntry(key: String)
    case tensorMismatch(
        key: String, expectedShape: [Int], expectedDType: String, foundShape: [Int], foundDType: String)
    case invalidHyperparameters(group: Int, reason: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let found, let oldest, let newest):
            "optimizer state has format \(found); this TrainKit reads formats \(oldest) through \(newest) "
                + "(it was saved by a newer TrainKit)"
        case .ruleMismatch(let expected, let found):
            "optimizer state is for '\(found)', this optimizer is '\(expected)'"
        case .groupCountMismatch(let expected, let found):
            "optimizer state has \(found) parameter groups, this optimizer \(expected)"
        case .parameterCountMismatch(let group, let expected, let found):
            "optimizer state group \(group) has \(found) parameters, this optimizer's \(expected)"
        case .missingTensor(let key):
            "optimizer state lacks tensor '\(key)'"
        case .unknownStateEntry(let key):
            "optimizer state has '\(key)', which no optimizer keeps"
        case .tensorMismatch(let key, let expectedShape, let expectedDType, let foundShape, let foundDType):
            "optimizer state tensor '\(key)' is \(foundDType) \(foundShape), expected \(expectedDType) \(expectedShape)"
        case .invalidHyperparameters(let group, let reason):
            "optimizer state group \(group) has unreadable hyperparameters: \(reason)"
        }
    }
}

extension Optimizer {
    public func stateDict() -> OptimizerStateDict {
        var tensors: [String: Tensor] = [:]
        var entries: [OptimizerMetadata.ParameterEntry?] = []
        var groupEntries: [OptimizerMetadata.Group] = []
        var index = 0
        for g in groups.indices {
            // Encoding a plain struct of numbers and flags cannot fail.
            let hyperparameters = try! hyperparameterValues(groups[g].rule)
            groupEntries.append(
                .init(
                    parameterCount: groups[g].parameters.count, hyperparameters: hyperparameters,
                    initialLR: groups[g].initialLR))
            for k in groups[g].parameters.indices {
                defer { index += 1 }
                guard let state = states[g][k] else {
                    entries.append(nil)
                    continue
                }
                let filled = state.tensors
                for (slot, tensor) in filled { tensors["state.\(index).\(slot.rawValue)"] = tensor }
                entries.append(.init(step: state.step, buffers: filled.map(\.slot.rawValue), scalars: state.scalars))
            }
        }
        return OptimizerStateDict(
            tensors: tensors,
            metadata: OptimizerMetadata(rule: Rule.name, groups: groupEntries, parameters: entries))
    }

    public func load(stateDict: OptimizerStateDict) throws {
        let metadata = stateDict.metadata
        guard (OptimizerMetadata.oldestFormat...OptimizerMetadata.currentFormat).contains(metadata.format) else {
            throw OptimizerStateError.unsupportedFormat(
                found: metadata.format, oldest: OptimizerMetadata.oldestFormat,
                newest: OptimizerMetadata.currentFormat)
        }
        guard metadata.rule == Rule.name else {
            throw OptimizerStateError.ruleMismatch(expected: Rule.name, found: metadata.rule)
        }
        guard metadata.groups.count == groups.count else {
            throw OptimizerStateError.groupCountMismatch(expected: groups.count, found: metadata.groups.count)
        }
        // Validate and decode everything first, so a refused state changes nothing.
        var rules: [Rule] = []
        for (g, saved) in metadata.groups.enumerated() {
            guard saved.parameterCount == groups[g].parameters.count else {
                throw OptimizerStateError.parameterCountMismatch(
                    group: g, expected: groups[g].parameters.count,
                    found: saved.parameterCount)
            }
            do {
                rules.append(try rule(from: saved.hyperparameters))
            } catch {
                throw OptimizerStateError.invalidHyperparameters(group: g, reason: "\(error)")
            }
        }
        let parameters = allParameters
        guard metadata.parameters.count == parameters.count else {
            throw OptimizerStateError.parameterCountMismatch(
                group: -1, expected: parameters.count,
                found: metadata.parameters.count)
        }
        var restored: [ParameterState?] = []
        for (index, entry) in metadata.parameters.enumerated() {
            guard let entry else {
                restored.append(nil)
                continue
            }
            restored.append(try Self.restore(entry, index: index, of: stateDict, for: parameters[index]))
        }
        var index = 0
        for g in groups.indices {
            groups[g].rule = rules[g]
            groups[g].initialLR = metadata.groups[g].initialLR
            for k in states[g].indices {
                states[g][k] = restored[index]
                index += 1
            }
        }
    }
}

extension Optimizer {
    /// The state of parameter `index` from its metadata entry and tensors: each tensor shaped like `parameter`
    /// and of its dtype (format 1 saved float32 only, for float32 parameters), moved to its device.
    static func restore(
        _ entry: OptimizerMetadata.ParameterEntry, index: Int, of stateDict: OptimizerStateDict,
        for parameter: Parameter
    ) throws -> ParameterState {
        var state = ParameterState(step: entry.step)
        for (name, value) in entry.scalars {
            guard name == "mu_product" else {
                throw OptimizerStateError.unknownStateEntry(key: "state.\(index).\(name)")
            }
            state.muProduct = value
        }
        let expected = parameter.detachedValue
        for name in entry.buffers {
            let key = "state.\(index).\(name)"
            guard let slot = ParameterState.Slot(rawValue: name) else {
                throw OptimizerStateError.unknownStateEntry(key: key)
            }
            guard let tensor = stateDict.tensors[key] else { throw OptimizerStateError.missingTensor(key: key) }
            guard tensor.dtype == expected.dtype, tensor.shape == expected.shape else {
                throw OptimizerStateError.tensorMismatch(
                    key: key, expectedShape: expected.shape, expectedDType: "\(expected.dtype)",
                    foundShape: tensor.shape, foundDType: "\(tensor.dtype)")
            }
            state[slot] = tensor.detach().to(device: expected.device)
        }
        return state
    }
}

/// A rule's stored properties as metadata values (through its `Codable` form).
func hyperparameterValues<Rule: UpdateRule>(_ rule: Rule) throws -> [String: HyperparameterValue] {
    let data = try JSONEncoder().encode(rule)
    return try JSONDecoder().decode([String: HyperparameterValue].self, from: data)
}

/// The rule whose stored properties are `values` (all must be present).
func rule<Rule: UpdateRule>(from values: [String: HyperparameterValue]) throws -> Rule {
    try JSONDecoder().decode(Rule.self, from: JSONEncoder().encode(values))
}
