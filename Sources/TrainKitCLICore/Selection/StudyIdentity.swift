import Foundation
import TrainKit
import TrainKitRegistry

/// What makes two `trainkit tune` workers the same study: the config (with `--set` applied, `output` left out,
/// since each machine may write its own run directory) and every option that changes which trials run or how
/// they rank. Its SHA-256 is the study's config hash in a shared store (``SQLStudyStore``).
enum StudyIdentity {
    /// The hex SHA-256 of the config tree (keys sorted) and the options.
    static func hash(tunable: TunableConfig, options: [String: String]) -> String {
        var tree = (tunable.tree.plainValue as? [String: Any]) ?? [:]
        tree["output"] = nil
        let config =
            (try? JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .fragmentsAllowed]))
            ?? Data(((try? tunable.tree.yamlText()) ?? "").utf8)
        var hasher = SHA256()
        hasher.update(config)
        for key in options.keys.sorted() { hasher.update(Array("\n\(key)=\(options[key]!)".utf8)) }
        return hasher.finalize()
    }
}
