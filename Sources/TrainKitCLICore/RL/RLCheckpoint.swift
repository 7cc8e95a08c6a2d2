import Foundation
import TrainKit

/// An agent's training state on disk: one safetensors file, the tensors of ``AgentState`` under their keys and
/// the plain values as JSON under the metadata key `trainkit.agent_state`. Written crash-safely (temporary file,
/// flush, rename), so an interrupted save leaves the previous checkpoint.
enum RLCheckpoint {
    static let metadataKey = "trainkit.agent_state"

    static func write(_ state: AgentState, to url: URL) throws {
        let json = String(decoding: try JSONEncoder().encode(state.metadata), as: UTF8.self)
        try SafeTensors.write(state.tensors, metadata: [metadataKey: json], to: url)
    }

    /// Reads a checkpoint; a file without the agent state (or with a damaged one) is a named error.
    static func read(from url: URL) throws -> AgentState {
        let (tensors, metadata) = try SafeTensors.read(from: url)
        guard let json = metadata[metadataKey] else {
            throw AgentError.badState("\(url.path) has no '\(metadataKey)' metadata: not an agent checkpoint")
        }
        do {
            return AgentState(tensors: tensors, metadata: try JSONDecoder().decode(AgentStateMetadata.self, from: Data(json.utf8)))
        } catch {
            throw AgentError.badState("\(url.path): the agent state does not decode: \(error)")
        }
    }
}
