import Foundation
import TrainKit

/// `report.html`: one self-contained page (inline SVG charts and styles, no scripts; the one link goes to
/// `confusion.csv` beside it) with the run's data and model, which epoch's weights were kept, the final
/// metrics, the learning curves (loss, each validation metric, learning rate) with the kept epoch marked,
/// the per-epoch table and, for classification, the confusion matrix on the test set (the validation set
/// without one; ``ConfusionReport``).
struct HTMLReport {
    let report: RunReport
    var confusion: ConfusionReport?

    var html: String {
        let config = report.config, artifact = report.artifact, history = report.history
        let name = URL(fileURLWithPath: config.output).lastPathComponent
        var body: [String] = []
        body.append("<h1>TrainKit run: \(HTMLText.escape(name))</h1>")
        body.append("<ul>")
        for line in report.summaryLines { body.append("<li>\(HTMLText.escape(line))</li>") }
        body.append("</ul>")
        body.append("<h2>Final metrics</h2><table><tr><th>metric</th><th>value</th></tr>")
        for key in artifact.metrics.keys.sorted() {
            body.append("<tr><td>\(HTMLText.escape(key))</td><td>\(RunReport.format(artifact.metrics[key]!))</td></tr>")
        }
        body.append("</table>")
        if !history.epochs.isEmpty {
            body.append("<h2>Learning curves</h2>")
            for chart in charts(history) { body.append("<figure>\(chart.svg)</figure>") }
            body.append(epochTable(history))
        }
        if let confusion { body.append(confusion.html) }
        body.append("<h2>Use the model</h2><pre>trainkit info \(HTMLText.escape(config.output))\ntrainkit evaluate \(HTMLText.escape(config.output)) --data FILE\ntrainkit predict \(HTMLText.escape(config.output)) --data FILE --output predictions.csv</pre>")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>TrainKit run: \(HTMLText.escape(name))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f4f4f4}tr.kept td{font-weight:bold;background:#fff7d6}.wide{max-width:100%;overflow-x:auto}
            figure{display:inline-block;margin:0.5em}pre{background:#f6f6f6;padding:0.8em}</style>
            </head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    /// Training vs validation loss, then each validation metric with its training counterpart, then the
    /// learning rate when it changed; each marks the epoch whose weights were kept.
    func charts(_ history: History) -> [SVGLineChart] {
        let keys = Set(history.epochs.flatMap(\.keys))
        let marker = report.kept.map { (epoch: $0.epoch, label: $0.markerLabel) }
        var charts = [SVGLineChart(title: "loss", series: [("train loss", history.values("loss"))]
                                   + (keys.contains("val_loss") ? [("validation loss", history.values("val_loss"))] : []),
                                   marker: marker)]
        for key in keys.sorted() where key.hasPrefix("val_") && key != "val_loss" {
            let metric = String(key.dropFirst(4))
            var series = [("validation \(metric)", history.values(key))]
            if keys.contains(metric) { series.insert(("train \(metric)", history.values(metric)), at: 0) }
            charts.append(SVGLineChart(title: metric, series: series, marker: marker))
        }
        let lr = history.values("lr")
        if Set(lr).count > 1 { charts.append(SVGLineChart(title: "learning rate", series: [("lr", lr)], marker: marker)) }
        return charts
    }

    /// One row per epoch, every logged value; the kept epoch's row is highlighted.
    func epochTable(_ history: History) -> String {
        let columns = Array(Set(history.epochs.flatMap(\.keys))).sorted()
        var rows = ["<h2>Epochs</h2>", "<div class=\"wide\"><table class=\"epochs\"><tr><th>epoch</th>"
                    + columns.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"]
        for (i, logs) in history.epochs.enumerated() {
            let kept = report.kept?.epoch == i + 1
            rows.append("<tr\(kept ? " class=\"kept\"" : "")><td>\(i + 1)</td>"
                        + columns.map { "<td>\(logs[$0].map(RunReport.format) ?? "")</td>" }.joined() + "</tr>")
        }
        rows.append("</table></div>")
        return rows.joined(separator: "\n")
    }

    /// Counts of (true class, predicted class) for the model's outputs `[N, C]` and labels `[N]` (the metrics
    /// library's ``ConfusionMatrix`` over classes `0..<classCount`).
    static func confusionMatrix(outputs: Tensor, labels: Tensor, classCount: Int) -> [[Int]] {
        var metric = ConfusionMatrix(labels: Array(0..<classCount))
        metric.update(predictions: outputs, targets: labels)
        guard case .tensor(let counts) = metric.compute() else { return [] }
        let flat = counts.toArray(as: Int64.self).map { Int($0) }
        return (0..<classCount).map { Array(flat[($0 * classCount)..<(($0 + 1) * classCount)]) }
    }
}
