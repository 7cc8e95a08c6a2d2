import Foundation
import TrainKit
import TrainKitRegistry

/// One stage of a pipeline as `pipeline.json` records it: started, then done with what it produced.
struct PipelineStage: Codable, Equatable {
    enum Status: String, Codable { case started, done }

    /// `train`, `gate`, `tune`, `retrain`, `gate-retrain`, `register`, `promote`.
    var name: String
    var status: Status = .started
    var startedAt = PipelineJournal.now()
    var finishedAt: String?
    /// train / retrain: the run directory and its final metrics.
    var runDir: String?
    var metrics: [String: Double]?
    /// gate / gate-retrain / promote: the decision and its checks.
    var passed: Bool?
    var checks: [PromotionCheck]?
    var holder: String?
    /// tune: the study, its counts, the best trial's config and values.
    var study: String?
    var trials: [String: Int]?
    var bestConfig: String?
    var bestValue: Double?
    var bestParams: String?
    /// register / promote: the version (`wine@3`), the alias moved and the version it named before.
    var version: String?
    var alias: String?
    var previous: String?

    init(name: String) { self.name = name }

    enum CodingKeys: String, CodingKey {
        case name, status, startedAt = "started_at", finishedAt = "finished_at", runDir = "run_dir", metrics, passed,
             checks, holder, study, trials, bestConfig = "best_config", bestValue = "best_value",
             bestParams = "best_params", version, alias, previous
    }
}

/// `OUTPUT/pipeline.json`: every stage of one `trainkit pipeline` as it starts and ends, written atomically
/// after each change, so that `--resume` after a kill skips the finished stages and continues the one that
/// was running. The config's digest ties the file to the config it ran.
struct PipelineJournal: Codable {
    static let fileName = "pipeline.json"
    static let currentFormat = 1

    var format = PipelineJournal.currentFormat
    /// SHA-256 of the resolved config (config.yaml's text), `--set` overrides included.
    var configDigest: String
    var name: String
    var stages: [PipelineStage] = []
    /// `promoted` or `rejected` once the pipeline ends.
    var verdict: String?

    enum CodingKeys: String, CodingKey {
        case format, configDigest = "config_digest", name, stages, verdict
    }

    static func url(in directory: URL) -> URL { directory.appendingPathComponent(fileName) }

    /// The journal of `directory`, or nil when there is none.
    ///
    /// - Throws: ``DataError/invalidFormat(file:reason:)`` for a file that is not a pipeline journal.
    static func read(in directory: URL) throws -> PipelineJournal? {
        let url = url(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let journal: PipelineJournal
        do {
            journal = try JSONCoding.decode(PipelineJournal.self, from: try Data(contentsOf: url))
        } catch {
            throw DataError.invalidFormat(file: url.path, reason: "not a TrainKit pipeline journal (\(error))")
        }
        guard journal.format == currentFormat else {
            throw DataError.invalidFormat(file: url.path, reason: "format \(journal.format); this TrainKit reads format \(currentFormat)")
        }
        return journal
    }

    func write(in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONCoding.encode(self), to: Self.url(in: directory))
    }

    /// The stage called `name`, if it was started.
    func stage(_ name: String) -> PipelineStage? { stages.first { $0.name == name } }

    /// Records `stage` (replacing the record of the same name).
    mutating func record(_ stage: PipelineStage) {
        if let i = stages.firstIndex(where: { $0.name == stage.name }) { stages[i] = stage } else { stages.append(stage) }
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
