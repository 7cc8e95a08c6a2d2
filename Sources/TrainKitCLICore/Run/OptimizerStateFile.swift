import Foundation
import TrainKit

/// `model/optimizer.safetensors`: the optimizer's state when training ended (PyTorch's
/// `optimizer.state_dict()`), so a warm start can continue with the source's moments and step counts
/// (`train --init-from SOURCE --init-optimizer`).
///
/// The tensors are `state.<index>.<slot>` as in a checkpoint (``OptimizerStateDict``); the non-tensor part
/// (the rule, the groups and each parameter's step) is JSON in the safetensors header's `optimizer` entry.
/// A model that no optimizer trained (the `linear` kind's closed-form fit, the unsupervised kinds) has none.
enum OptimizerStateFile {
    static let fileName = "optimizer.safetensors"
    static let metadataKey = "optimizer"

    /// Writes `state` beside the model's weights in `modelDirectory`.
    static func write(_ state: OptimizerStateDict, to modelDirectory: URL) throws {
        let metadata = String(decoding: try JSONCoding.encode(state.metadata, pretty: false), as: UTF8.self)
        try SafeTensors.write(state.tensors, metadata: [metadataKey: metadata],
                              to: modelDirectory.appendingPathComponent(fileName))
    }

    /// The state saved beside `modelFile` (a model.json), or nil when there is none.
    ///
    /// - Throws: ``WarmStartError/unsupported(_:)`` naming the file when it is there but unreadable.
    static func read(besideModel modelFile: URL) throws -> OptimizerStateDict? {
        let url = modelFile.deletingLastPathComponent().appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let (tensors, metadata) = try SafeTensors.read(from: url)
            guard let json = metadata[metadataKey] else {
                throw WarmStartError.unsupported("\(url.path): no '\(metadataKey)' entry in its header; not a TrainKit optimizer state")
            }
            return OptimizerStateDict(tensors: tensors,
                                      metadata: try JSONCoding.decode(OptimizerMetadata.self, from: Data(json.utf8)))
        } catch let error as WarmStartError {
            throw error
        } catch {
            throw WarmStartError.unsupported("\(url.path): not a readable optimizer state (\(error))")
        }
    }

    /// `saved` with `current`'s hyperparameters: a warm start keeps the source's moments and step counts but
    /// trains with the new config's learning rate, betas and weight decay (as PyTorch users do by loading the
    /// state dict and then setting `param_groups`).
    static func adopting(_ saved: OptimizerStateDict, hyperparametersOf current: OptimizerStateDict) -> OptimizerStateDict {
        var adopted = saved
        guard saved.metadata.groups.count == current.metadata.groups.count else { return saved }
        for g in adopted.metadata.groups.indices {
            adopted.metadata.groups[g].hyperparameters = current.metadata.groups[g].hyperparameters
            adopted.metadata.groups[g].initialLR = current.metadata.groups[g].initialLR
        }
        return adopted
    }
}
