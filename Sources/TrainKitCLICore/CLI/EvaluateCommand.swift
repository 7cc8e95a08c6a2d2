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
        if let fitted = layer as? FittedEstimator {  // kmeans, pca, gmm: their own scores, the target optional
            let inputs = try artifact.preprocessing.inputs(file: data)
            let labels = inputs.labels?.dtype == .int64 ? inputs.labels : nil
            let metrics = try UnsupervisedMetrics.score(fitted, x: inputs.features, labels: labels, seed: artifact.config?.seed ?? 0)
            return try report(metrics, count: inputs.rowNames.count, url: url, io)
        }
        let dataset = try artifact.preprocessing.labelledData(file: data)
        let metrics = Evaluation.evaluate(layer, on: dataset, task: artifact.preprocessing.task, kind: artifact.spec.kind,
                                          lossName: artifact.config?.training.loss)
        try report(metrics, count: dataset.count, url: url, io)
    }

    private func report(_ metrics: [String: Double], count: Int, url: URL, _ io: CommandIO) throws {
        if json {
            let object = EvaluationSummary(model: url.path, data: data, count: count, metrics: metrics)
            io.output(String(decoding: try JSONCoding.encode(object, pretty: false), as: UTF8.self))
        } else {
            io.output("\(count) examples: " + MetricsText.line(metrics, prefixes: []))
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
