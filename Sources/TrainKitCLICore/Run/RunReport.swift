import Foundation
import TrainKit

/// `report.md` (and the HTML page, ``HTMLReport``): what was trained on what, the final metrics, the per-epoch history and how to reuse the model.
struct RunReport {
    let config: RunConfig
    let artifact: ModelArtifact
    let history: History
    let data: PreparedData
    /// Which epoch's weights the model holds; nil when no epoch ran.
    var kept: KeptWeights? = nil

    /// The run in five lines (data, task, examples, model, training), and a sixth on the kept weights.
    var summaryLines: [String] {
        let spec = artifact.spec, t = config.training
        let variant = spec.encoder.map { ", encoder \($0)" } ?? spec.architecture.map { ", architecture \($0)" } ?? ""
        return [
            "data: \(config.data.train) (\(config.data.format.rawValue))" + (config.data.test.map { ", test \($0)" } ?? ""),
            "task: \(artifact.preprocessing.task.rawValue)" + (artifact.labels.map { ", \($0.count) classes" } ?? ""),
            "examples: \(data.summary)",
            "model: \(spec.kind.rawValue)\(variant), hidden \(spec.hidden), \(artifact.parameterCount) parameters",
            "training: \(history.epochs.count) of \(t.epochs) epochs, batch \(t.batchSize), \(t.optimizer.name) lr \(t.optimizer.lr), schedule \(t.schedule.name), seed \(config.seed)",
        ] + (kept.map { [$0.sentence] } ?? [])
    }

    var markdown: String {
        var lines: [String] = []
        lines.append("# TrainKit run: \(URL(fileURLWithPath: config.output).lastPathComponent)")
        lines.append("")
        lines.append(contentsOf: summaryLines.map { "- \($0)" })
        lines.append("")
        lines.append("## Final metrics")
        lines.append("")
        lines.append("| metric | value |")
        lines.append("|---|---|")
        for key in artifact.metrics.keys.sorted() {
            lines.append("| \(key) | \(Self.format(artifact.metrics[key]!)) |")
        }
        if !history.epochs.isEmpty {
            let columns = Array(Set(history.epochs.flatMap(\.keys))).sorted()
            lines.append("")
            lines.append("## Epochs")
            lines.append("")
            lines.append("| epoch | " + columns.joined(separator: " | ") + " |")
            lines.append("|---|" + columns.map { _ in "---|" }.joined())
            for (i, logs) in history.epochs.enumerated() {
                let epoch = kept?.epoch == i + 1 ? "**\(i + 1)** (kept)" : "\(i + 1)"
                lines.append("| \(epoch) | " + columns.map { logs[$0].map(Self.format) ?? "" }.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines.append("## Use the model")
        lines.append("")
        lines.append("```sh")
        lines.append("trainkit info \(config.output)")
        lines.append("trainkit evaluate \(config.output) --data FILE")
        lines.append("trainkit predict \(config.output) --data FILE --output predictions.csv")
        lines.append("```")
        lines.append("")
        lines.append("Files: `model/weights.safetensors` (safetensors, PyTorch names), `model/model.json` (architecture, preprocessing, metrics), `metrics.jsonl` / `metrics.csv` (per epoch), `confusion.csv` (classification: every cell of the confusion matrix), `checkpoints/` (resume with `trainkit train CONFIG --resume \(config.output)`).")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: "%.4f", v)
    }
}
