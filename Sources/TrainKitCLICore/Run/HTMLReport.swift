import Foundation
import TrainKit

/// `report.html`: one self-contained page (inline SVG charts and styles, no scripts or external files) with
/// the run's data and model, the final metrics, the learning curves (loss, each validation metric, learning
/// rate) and, for classification, the confusion matrix on the test set (the validation set without one).
struct HTMLReport {
    let report: RunReport
    /// Rows: true class, columns: predicted class.
    var confusion: (matrix: [[Int]], classes: [String], part: String)?

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
        }
        if let confusion { body.append(confusionTable(confusion)) }
        body.append("<h2>Use the model</h2><pre>trainkit info \(HTMLText.escape(config.output))\ntrainkit evaluate \(HTMLText.escape(config.output)) --data FILE\ntrainkit predict \(HTMLText.escape(config.output)) --data FILE --output predictions.csv</pre>")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>TrainKit run: \(HTMLText.escape(name))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f4f4f4}figure{display:inline-block;margin:0.5em}pre{background:#f6f6f6;padding:0.8em}</style>
            </head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    /// Training vs validation loss, then each validation metric with its training counterpart, then the
    /// learning rate when it changed.
    func charts(_ history: History) -> [SVGLineChart] {
        let keys = Set(history.epochs.flatMap(\.keys))
        var charts = [SVGLineChart(title: "loss", series: [("train loss", history.values("loss"))]
                                   + (keys.contains("val_loss") ? [("validation loss", history.values("val_loss"))] : []))]
        for key in keys.sorted() where key.hasPrefix("val_") && key != "val_loss" {
            let metric = String(key.dropFirst(4))
            var series = [("validation \(metric)", history.values(key))]
            if keys.contains(metric) { series.insert(("train \(metric)", history.values(metric)), at: 0) }
            charts.append(SVGLineChart(title: metric, series: series))
        }
        let lr = history.values("lr")
        if Set(lr).count > 1 { charts.append(SVGLineChart(title: "learning rate", series: [("lr", lr)])) }
        return charts
    }

    /// The confusion matrix as a table with cells shaded by their share of the row.
    func confusionTable(_ c: (matrix: [[Int]], classes: [String], part: String)) -> String {
        var rows = ["<h2>Confusion matrix (\(HTMLText.escape(c.part)))</h2><table><tr><th>true \\ predicted</th>"
                    + c.classes.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"]
        for (i, row) in c.matrix.enumerated() {
            let total = Swift.max(row.reduce(0, +), 1)
            let cells = row.map { n -> String in
                let share = Double(n) / Double(total)
                return "<td style=\"background:rgba(31,119,180,\(String(format: "%.2f", share)))\">\(n)</td>"
            }
            rows.append("<tr><th>\(HTMLText.escape(c.classes[i]))</th>\(cells.joined())</tr>")
        }
        rows.append("</table>")
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
