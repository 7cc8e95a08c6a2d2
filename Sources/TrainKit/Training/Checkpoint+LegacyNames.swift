import TrainKitNN
import TrainKitOptim

/// Checkpoints written before built-in layers took PyTorch's names.
///
/// Their model keys load as they are (``Module/upgradingLegacyKeys(_:)`` renames them). Their optimizer state
/// numbers parameters in the model's order of then, which differs for recurrent layers with several layers or
/// directions (every `weightIH` came first; PyTorch's order goes layer by layer), so the state is renumbered to
/// follow the parameters it belongs to.
enum LegacyCheckpoint {
    /// `optimizer` (saved with `checkpointModel`) renumbered for `parameters`, the optimizer's parameters in
    /// today's order; unchanged when the model keys are current or no parameter moved.
    ///
    /// Within each group, the saved state's index `i` belonged to the group's `i`-th parameter in the model's
    /// earlier order (``Module/legacyParameterOrder``); a group holding a parameter the model does not know is
    /// left as it is.
    static func optimizerState(_ optimizer: OptimizerStateDict, checkpointModel: [String: Tensor], model: any Module,
                               parameters: [Parameter]) -> OptimizerStateDict {
        guard model.usesLegacyKeys(checkpointModel) else { return optimizer }
        let rank = Dictionary(model.legacyParameterOrder.enumerated().map { (ObjectIdentifier($1), $0) },
                              uniquingKeysWith: { a, _ in a })
        var oldIndexOf: [Int: Int] = [:]  // today's index -> saved index
        var start = 0
        for group in optimizer.metadata.groups {
            let range = start..<min(start + group.parameterCount, parameters.count)
            start += group.parameterCount
            let ranks = range.map { rank[ObjectIdentifier(parameters[$0])] }
            guard ranks.allSatisfy({ $0 != nil }) else { continue }
            let earlier = range.sorted { ranks[$0 - range.lowerBound]! < ranks[$1 - range.lowerBound]! }
            for (offset, today) in earlier.enumerated() { oldIndexOf[today] = range.lowerBound + offset }
        }
        guard oldIndexOf.contains(where: { $0.key != $0.value }) else { return optimizer }
        var result = optimizer
        var tensors = optimizer.tensors.filter { !$0.key.hasPrefix("state.") }
        for (today, saved) in oldIndexOf where saved < optimizer.metadata.parameters.count {
            result.metadata.parameters[today] = optimizer.metadata.parameters[saved]
        }
        for (key, value) in optimizer.tensors where key.hasPrefix("state.") {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, let saved = Int(parts[1]) else { tensors[key] = value; continue }
            let today = oldIndexOf.first { $0.value == saved }?.key ?? saved
            tensors["state.\(today).\(parts[2])"] = value
        }
        result.tensors = tensors
        return result
    }
}
