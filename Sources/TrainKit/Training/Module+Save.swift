import Foundation
import TrainKitIO
import TrainKitNN

extension Module {
    /// Writes the model's state dict as a safetensors file (crash-safe), readable by PyTorch's `safetensors`.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDict(), metadata: metadata.isEmpty ? nil : metadata, to: URL(fileURLWithPath: path))
    }

    /// Loads weights saved by ``save(to:metadata:)`` (or any safetensors file with matching names and shapes).
    public func load(from path: String, strict: Bool = true) throws {
        try load(stateDict: SafeTensors.read(from: URL(fileURLWithPath: path)).tensors, strict: strict)
    }
}
