import ArgumentParser
import Foundation
import TrainKit

// The fixed choices of options, as `ExpressibleByArgument` enums: `--help` lists them, shell completion
// offers them, and an unknown value is a usage error naming the choices. Values are case-insensitive.

extension SamplerKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension PrunerKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `predict --format`: how predictions are written.
enum PredictionFormat: String, CaseIterable, ExpressibleByArgument {
    case csv, jsonl

    init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    /// The format an output file's extension implies (`.jsonl`, `.json`, `.ndjson`: jsonl; else csv).
    static func implied(by output: String?) -> PredictionFormat {
        guard let output else { return .csv }
        let ext = (output as NSString).pathExtension.lowercased()
        return ["jsonl", "json", "ndjson"].contains(ext) ? .jsonl : .csv
    }

    var writerFormat: PredictionWriter.Format { PredictionWriter.Format(rawValue: rawValue)! }
}
