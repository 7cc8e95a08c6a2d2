import ArgumentParser
import Foundation
import TrainKit

/// `trainkit predict RUN_DIR_OR_MODEL --data FILE [--output FILE] [--format csv|jsonl]`.
struct PredictCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a trained model, as CSV or JSON lines.",
        discussion: """
            Reads the file with the preprocessing saved in model.json (the target column may be absent). \
            Classification rows hold the predicted class and one probability per class; an autoencoder's rows \
            hold the reconstruction error and the code; kmeans rows the cluster and the distance to each centre, \
            gmm rows the cluster and each component's probability, pca rows the coordinates on the components.
            """)

    @Argument(help: "A run directory, a model directory, or a model.json / weights file.", completion: .file())
    var model: String

    @Option(help: "The data file (or IDX directory) to predict for.", completion: .file())
    var data: String

    @Option(help: "Write the predictions here (default: standard output); not the data file itself.", completion: .file())
    var output: String?

    @Option(help: "How to write the predictions (default: from the output file's extension, else csv).")
    var format: PredictionFormat?

    func execute(_ io: CommandIO) throws {
        if let output, SameFile.same(output, data) {
            throw ConfigError.usage("--output \(output) is the data file --data \(data): the predictions would replace it; write them to another file")
        }
        let (artifact, layer, _) = try ModelArtifact.load(model)
        guard FileManager.default.fileExists(atPath: data) else { throw ConfigError.usage("--data \(data): no such file or directory") }
        let writerFormat = (format ?? PredictionFormat.implied(by: output)).writerFormat
        let inputs = try artifact.preprocessing.inputs(file: data)
        let outputs: Tensor, codes: Tensor?
        if let fitted = layer as? FittedEstimator {  // kmeans, pca, gmm: clusters, probabilities, components
            let text = try UnsupervisedPredictions(format: writerFormat).text(fitted, features: inputs.features, names: inputs.rowNames)
            return try write(text, rows: inputs.rowNames.count, io)
        } else if let autoencoder = layer as? Autoencoder {  // codes once, then decoded into the reconstructions
            codes = Evaluation.outputs(layer, features: inputs.features, apply: autoencoder.encode)
            outputs = Evaluation.outputs(layer, features: codes!, apply: autoencoder.decoder.callAsFunction)
        } else {
            codes = nil
            outputs = Evaluation.outputs(layer, features: inputs.features)
        }
        let writer = PredictionWriter(task: artifact.preprocessing.task, classes: artifact.labels, format: writerFormat)
        let text = try writer.text(outputs: outputs, names: inputs.rowNames, labels: inputs.labels, codes: codes)
        try write(text, rows: inputs.rowNames.count, io)
    }

    /// The predictions to `--output`, or standard output.
    private func write(_ text: String, rows: Int, _ io: CommandIO) throws {
        if let output {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
            io.diagnostics("trainkit: wrote \(rows) predictions to \(output)")
        } else {
            io.output(String(text.dropLast()))
        }
    }
}
