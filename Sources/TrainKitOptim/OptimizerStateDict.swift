import Foundation
import TrainKitCore

/// An optimizer's saved state (PyTorch `optimizer.state_dict()`): the buffers as tensors, everything else as
/// JSON-encodable metadata, so a checkpoint can put the tensors in safetensors and the metadata beside them.
///
/// Parameters are numbered across groups in order (group 0's first parameter is 0), as in PyTorch. Tensor keys
/// are `state.<index>.<buffer>` (`state.3.exp_avg`); float32, shaped like the parameter.
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
        /// Names of the buffers saved as `state.<index>.<name>`.
        public var buffers: [String]
        public var scalars: [String: Double]
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
    case ruleMismatch(expected: String, found: String)
    case groupCountMismatch(expected: Int, found: Int)
    case parameterCountMismatch(group: Int, expected: Int, found: Int)
    case missingTensor(key: String)
    case tensorMismatch(key: String, expectedShape: [Int], foundShape: [Int], foundDType: String)
    case invalidHyperparameters(group: Int, reason: String)

    public var description: String {
        switch self {
        case .ruleMismatch(let expected, let found):
            "optimizer state is for '\(found)', this optimizer is '\(expected)'"
        case .groupCountMismatch(let expected, let found):
            "optimizer state has \(found) parameter groups, this optimizer \(expected)"
        case .parameterCountMismatch(let group, let expected, let found):
            "optimizer state group \(group) has \(found) parameters, this optimizer's \(expected)"
        case .missingTensor(let key):
            "optimizer state lacks tensor '\(key)'"
        case .tensorMismatch(let key, let expectedShape, let foundShape, let foundDType):
            "optimizer state tensor '\(key)' is \(foundDType) \(foundShape), expected float32 \(expectedShape)"
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
            for (k, parameter) in groups[g].parameters.enumerated() {
                defer { index += 1 }
                guard let state = states[g][k] else {
                    entries.append(nil)
                    continue
                }
                let names = state.buffers.keys.sorted()
                for name in names {
                    tensors["state.\(index).\(name)"] = Tensor(state.buffers[name]!, shape: parameter.shape)
                }
                entries.append(.init(step: state.step, buffers: names, scalars: state.scalars))
            }
        }
        return OptimizerStateDict(
            tensors: tensors,
            metadata: OptimizerMetadata(rule: Rule.name, groups: groupEntries, parameters: entries))
    }

    public func load(stateDict: OptimizerStateDict) throws {
        let metadata = stateDict.metadata
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
            var state = ParameterState(step: entry.step, scalars: entry.scalars)
            for name in entry.buffers {
                let key = "state.\(index).\(name)"
                guard let tensor = stateDict.tensors[key] else { throw OptimizerStateError.missingTensor(key: key) }
                guard tensor.dtype == .float32, tensor.shape == parameters[index].shape else {
                    throw OptimizerStateError.tensorMismatch(
                        key: key, expectedShape: parameters[index].shape,
                        foundShape: tensor.shape, foundDType: "\(tensor.dtype)")
                }
                state.buffers[name] = tensor.toArray()
            }
            restored.append(state)
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

/// A rule's stored properties as metadata values (through its `Codable` form).
func hyperparameterValues<Rule: UpdateRule>(_ rule: Rule) throws -> [String: HyperparameterValue] {
    let data = try JSONEncoder().encode(rule)
    return try JSONDecoder().decode([String: HyperparameterValue].self, from: data)
}

/// The rule whose stored properties are `values` (all must be present).
func rule<Rule: UpdateRule>(from values: [String: HyperparameterValue]) throws -> Rule {
    try JSONDecoder().decode(Rule.self, from: JSONEncoder().encode(values))
}
