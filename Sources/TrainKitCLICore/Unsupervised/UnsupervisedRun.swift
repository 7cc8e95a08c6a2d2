import Foundation
import TrainKit

/// `trainkit train` for the unsupervised kinds (`kmeans`, `pca`, `gmm`): one fit on the training rows (no
/// epochs, no checkpoints), scored on every part, written as a run directory with config.yaml,
/// metrics.json, report.md and model/ (model.json + weights.safetensors holding the fitted state).
///
/// `cv` and `tune` run it through ``TrainingRun`` as any other kind: with given data, nothing written, and
/// the test part left alone for tune trials.
struct UnsupervisedRun {
    let run: TrainingRun

    func execute() throws -> TrainingRun.Result {
        let (config, io) = (run.config, run.io)
        let started = Date()
        let runDirectory = URL(fileURLWithPath: config.output)
        let directory = run.persists ? try RunDirectory(runDirectory, mode: run.resume ? .resume : .fresh(overwrite: run.overwrite), io: io)
                                     : nil
        let data: PreparedData, fitted: FittedEstimator
        do {
            data = try run.data ?? PreparedData.read(config, io: io)
            io.progress("\(data.preprocessing.task.rawValue): \(data.summary)")
            fitted = try EstimatorFit.fit(config.model, seed: config.seed, x: data.train.features, file: config.data.train)
            io.progress(EstimatorFit.describe(fitted))
        } catch {
            directory?.abandon()
            throw error
        }
        do {
            _ = try directory?.begin(config: try config.yamlText())
            let result = try finish(fitted, data: data, runDirectory: runDirectory, started: started)
            directory?.commit()
            return result
        } catch {
            directory?.abandon()
            throw error
        }
    }

    /// Scores every part and (when the run persists) writes the model, metrics.json and report.md.
    private func finish(_ fitted: FittedEstimator, data: PreparedData, runDirectory: URL, started: Date) throws -> TrainingRun.Result {
        let config = run.config
        var metrics: [String: Double] = ["epochs": 1, "train_seconds": Date().timeIntervalSince(started)]
        for (name, part) in [("train", data.train), ("val", data.validation), ("test", run.evaluatesTest ? data.test : nil)] {
            guard let part, part.count > 0 else { continue }
            let labels = part.labels.dtype == .int64 ? part.labels : nil
            for (key, value) in try UnsupervisedMetrics.score(fitted, x: part.features, labels: labels, seed: config.seed) {
                metrics["\(name)_\(key)"] = value
            }
        }
        if case .pca(let m) = fitted.model { metrics["train_explained_variance_ratio"] = m.explainedVarianceRatio.reduce(0, +) }
        var spec = ModelSpec(config: config, data: data)
        spec.outputSize = fitted.outputCount
        let artifact = ModelArtifact(spec: spec, preprocessing: data.preprocessing, model: fitted, metrics: metrics, config: config)
        let result = TrainingRun.Result(runDirectory: runDirectory, metrics: metrics, artifact: artifact, epochs: 1)
        guard run.persists else { return result }
        try artifact.write(model: fitted, to: runDirectory.appendingPathComponent("model"))
        try AtomicFile.write(try JSONCoding.encode(metrics), to: runDirectory.appendingPathComponent("metrics.json"))
        try AtomicFile.write(Data(report(fitted, metrics: metrics, data: data).utf8), to: runDirectory.appendingPathComponent("report.md"))
        return result
    }

    /// A short markdown report: the fitted model and its scores.
    private func report(_ fitted: FittedEstimator, metrics: [String: Double], data: PreparedData) -> String {
        var lines = ["# \(run.config.model.kind.rawValue) run", "", EstimatorFit.describe(fitted), "",
                     "Data: \(data.summary).", "", "| metric | value |", "|---|---|"]
        for key in metrics.keys.sorted() { lines.append("| \(key) | \(RunReport.format(metrics[key]!)) |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
