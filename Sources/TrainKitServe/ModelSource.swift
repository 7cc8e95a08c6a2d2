import Foundation
import TrainKitRegistry

/// Where a served model comes from: a run or model directory (served as version 1), or a registered model
/// (`NAME@production`, `NAME@3`, `NAME`: docs/registry.md), re-resolved on every reload check so that moving the
/// alias swaps the served version.
enum ModelSource: Sendable, CustomStringConvertible {
    case directory(String)
    case registry(ModelReference, store: String?)

    /// `spec` as a source: a path when it exists or has a slash, else a registry reference when it reads as one.
    static func parse(_ spec: String, store: String?) throws -> ModelSource {
        if FileManager.default.fileExists(atPath: spec) || !ModelReference.looksLikeReference(spec) { return .directory(spec) }
        return .registry(try ModelReference(parsing: spec), store: store)
    }

    /// The name a source is served under without `NAME=`: the registered name, or the directory's name.
    var defaultName: String {
        switch self {
        case .registry(let reference, _): return reference.name
        case .directory(let path):
            var trimmed = path
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            let last = (trimmed as NSString).lastPathComponent
            if last == "model.json" || last == "model" {
                return ((trimmed as NSString).deletingLastPathComponent as NSString).lastPathComponent
            }
            return last
        }
    }

    /// The model.json (or directory) to load now, and its version.
    func resolve() throws -> (path: String, version: String) {
        switch self {
        case .directory(let path): return (path, "1")
        case .registry(let reference, let storeOption):
            let store = try StoreLocation.resolve(store: storeOption, artifacts: nil).open()
            defer { store.close() }
            let version = try store.resolve(reference)
            return (try store.modelFolder(version).appendingPathComponent("model/model.json").path, String(version.version))
        }
    }

    var description: String {
        switch self {
        case .directory(let path): path
        case .registry(let reference, _): reference.description
        }
    }
}
