import ArgumentParser
import Foundation
import TrainKit

/// `trainkit evaluate RUN_DIR_OR_MODEL --data FILE [--json]`.
struct EvaluateCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a trained model on a labelled data file.",
        discussion: "Reads the file with the preprocessing saved in model.json and prints the loss and metrics.")

    @Argument(help: "A run directory, a model directory, or a model.json / weights file.", completion: .file())
    var model: String

    @Option(help: "The labelled data file (or IDX directory) to evaluate on.", completion: .file())
    var data: String

    @Flag(help: "Print one JSON object on standard output.")
    var json = false

    func execute(_ io: CommandIO) throws {
        let (artifact, layer, url) = try ModelArtifact.load(model)
        guard FileManager.default.fileExists(atPath: data) else { throw ConfigError.usage("--data \(data): no such file or directory") }
        let dataset = try artifact.preprocessing.labelledData(file: data)
        let metrics = Evaluation.evaluate(layer, on: dataset, task: artifact.preprocessing.task, kind: artifact.spec.kind,
                                          lossName: artifact.config?.training.loss)
        if json {
            let object = EvaluationSummary(model: url.path, data: data, count: dataset.count, metrics: metrics)
            io.output(String(decoding: try JSONCoding.encode(object, pretty: false), as: UTF8.self))
        } else {
            io.output("\(dataset.count) examples: " + MetricsText.line(metrics, prefixes: []))
        }
    }
}

/// The `--json` object of `evaluate`.
struct EvaluationSummary: Codable {
    var model: String
    var data: String
    var count: Int
    var metrics: [String: Double]
}
