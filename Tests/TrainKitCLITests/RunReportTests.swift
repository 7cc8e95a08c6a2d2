import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// The run directory's report pages.
@Suite(.serialized) struct RunReportTests {
    @Test func htmlReportHasCurvesAndTheTestConfusionMatrix() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 4, output: run, extra: "") + "\n", to: "wine.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        // loss (train + validation), accuracy and f1_macro charts: one polyline per series with 4 epochs.
        #expect(html.components(separatedBy: "<polyline").count - 1 >= 4)
        #expect(html.contains("validation loss"))
        // The confusion matrix counts every test row once (wine: 1599 rows, 20% test, stratified).
        #expect(html.contains("Confusion matrix (test set, 321 examples)"))
        let cells = try Regex(#"<td style="background:rgba\([^)]*\)">(\d+)</td>"#)
        let total = html.matches(of: cells).map { Int($0.output[1].substring!)! }.reduce(0, +)
        #expect(total == 321)
        // The same cells are in confusion.csv, which the page links.
        #expect(html.contains("<a href=\"confusion.csv\">"))
        let csv = try String(contentsOf: run.appendingPathComponent("confusion.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().map { Int($0)! } }
        #expect(rows.joined().reduce(0, +) == 321)
        // Without early stopping the last epoch's weights are kept, and the page and report.md say so.
        #expect(html.contains("weights kept from epoch 4, the last"))
        let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("- model: mlp, hidden [32]"))
        #expect(markdown.contains("| **4** (kept) |"))
    }

    @Test func earlyStoppingMarksTheKeptEpochAndTheEpochTableHasEveryEpoch() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        // min_delta larger than any change: only epoch 1 improves, training stops at epoch 3 with its weights.
        let text = wineConfig(epochs: 10, output: run).replacingOccurrences(
            of: "  progress: silent", with: "  progress: silent\n  early_stopping: {monitor: val_loss, patience: 2, min_delta: 100}")
        #expect(text.contains("early_stopping"))
        let config = try write(text + "\n", to: "wine.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        let sentence = try #require(html.firstMatch(of: #/weights kept from epoch 1 \(best val_loss ([0-9.]+)\); early stopping at epoch 3/#))
        let metrics = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 4) // header + 3 epochs
        #expect(Double(sentence.output.1) != nil)
        // Every chart marks epoch 1; the epoch table has one row per epoch, the first highlighted.
        let charts = html.components(separatedBy: "<svg").count - 1
        #expect(charts >= 3)
        #expect(html.components(separatedBy: "<line class=\"kept\"").count - 1 == charts)
        #expect(html.contains(">kept: epoch 1</text>"))
        let table = try #require(html.firstMatch(of: #/<table class="epochs">(.*?)</table>/#.dotMatchesNewlines()))
        let epochRows = table.output.1.components(separatedBy: "<tr").count - 2 // minus the header row and the prefix
        #expect(epochRows == 3)
        #expect(table.output.1.contains("<tr class=\"kept\"><td>1</td>"))
        let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("- weights kept from epoch 1 (best val_loss"))
        #expect(markdown.contains("| **1** (kept) |"))
    }

    @Test func manyClassesListTheTopConfusionsAndWriteEveryCellToCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 77 classes (as BANKING77), 12 rows each, two noisy features: many confusions.
        var lines = ["a,b,intent"]
        for n in 0..<(77 * 12) {
            let c = n % 77
            lines.append("\(Double(c) + Double((n * 7919) % 13) / 4),\(Double((n * 104729) % 17)),intent_\(c)")
        }
        let data = try write(lines.joined(separator: "\n") + "\n", to: "intents.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            seed: 0
            data: {train: \(data), target: intent, test_split: 0.25, validation_split: 0.1}
            model: {kind: mlp, hidden: [16]}
            training: {task: classification, epochs: 2, batch_size: 64, progress: silent}
            output: \(run.path)

            """, to: "intents.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        // No 77×77 table: the page stays narrow, with a bounded number of cells.
        #expect(!html.contains("true \\ predicted"))
        #expect(html.components(separatedBy: "<td").count - 1 < 400)
        #expect(html.contains("77 classes are too many for one table"))
        let top = try #require(html.firstMatch(of: #/<table class="confusions">(.*?)</table>/#.dotMatchesNewlines()))
        let listed = top.output.1.components(separatedBy: "<tr>").count - 2
        #expect(listed == ConfusionReport.topConfusionLimit)
        // confusion.csv has every cell: a header and 77 rows of 77 counts that add up to the test rows.
        let csv = try String(contentsOf: run.appendingPathComponent("confusion.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 78)
        #expect(rows[0].split(separator: ",").count == 78)
        let counts = rows.dropFirst().map { $0.split(separator: ",").dropFirst().map { Int($0)! } }
        #expect(counts.allSatisfy { $0.count == 77 })
        let tested = try #require(html.firstMatch(of: #/Confusion matrix \(test set, (\d+) examples\)/#))
        #expect(counts.joined().reduce(0, +) == Int(tested.output.1)!)
        // The first listed confusion is the largest off-diagonal cell.
        let largest = counts.enumerated().flatMap { i, row in row.enumerated().filter { $0.offset != i }.map(\.element) }.max()!
        let firstCount = try #require(top.output.1.firstMatch(of: #/<tr><td>[^<]*</td><td>[^<]*</td><td>(\d+)</td>/#))
        #expect(Int(firstCount.output.1)! == largest)
    }

    @Test func keptWeightsNameTheLastEpochAndWhereTheLowestValidationLossIs() throws {
        let history = History(epochs: [["loss": 1, "val_loss": 0.5], ["loss": 0.8, "val_loss": 0.4],
                                       ["loss": 0.7, "val_loss": 0.45]])
        let kept = try #require(KeptWeights.after(history: history, stopping: nil))
        #expect(kept.epoch == 3)
        #expect(kept.sentence == "weights kept from epoch 3, the last; the lowest val_loss, 0.4 at epoch 2, is in best/model.safetensors")
        let last = try #require(KeptWeights.after(history: History(epochs: [["loss": 1, "val_loss": 0.5], ["loss": 0.8, "val_loss": 0.4]]),
                                                  stopping: nil))
        #expect(last.sentence == "weights kept from epoch 2, the last")
        #expect(KeptWeights.after(history: History(), stopping: nil) == nil)
    }

    @Test func confusionCSVQuotesClassNamesAndOrdersConfusionsByCount() {
        let report = ConfusionReport(matrix: [[5, 1, 0], [3, 2, 3], [0, 4, 1]], classes: ["a,b", "say \"hi\"", "c"],
                                     part: "test set, 19 examples")
        #expect(report.csv == "true \\ predicted,\"a,b\",\"say \"\"hi\"\"\",c\n\"a,b\",5,1,0\n\"say \"\"hi\"\"\",3,2,3\nc,0,4,1\n")
        #expect(report.confusions.map { [$0.actual, $0.predicted, $0.count] } == [[2, 1, 4], [1, 0, 3], [1, 2, 3], [0, 1, 1]])
    }

    @Test func chartScalesToTheFiniteValues() {
        let chart = SVGLineChart(title: "loss <a&b>", series: [("train", [2, 1, .nan, 0.5]), ("flat", [1, 1, 1, 1])])
        let svg = chart.svg
        #expect(svg.contains("loss &lt;a&amp;b&gt;"))
        #expect(!svg.contains("nan"))
        // The largest value sits at the top of the plot area, the smallest at the bottom (5% padding each).
        let points = svg.split(separator: "\n").first { $0.hasPrefix("<polyline") }!
        // y range [0.425, 2.075]: y(2) = 28 + 196·(1 − 1.575/1.65) = 36.9, y(0.5) = 28 + 196·(1 − 0.075/1.65) = 215.1.
        #expect(points.contains("64.0,36.9") && points.contains("548.0,215.1"), "\(points)")
    }

    /// The y tick labels of an SVG chart, as numbers.
    private func yTicks(_ svg: String) -> [Double] {
        svg.matches(of: #/<text class="ytick"[^>]*>([^<]*)</text>/#).map { Double($0.output.1)! }
    }

    @Test func positiveSeriesGetRoundTicksInsideTheirRange() {
        // A loss falling close to zero and a learning rate decaying to 1.4e-5: the padded range would reach below
        // zero (-0.137, -1.4e-5), the ticks must not.
        let cases: [[Double]] = [[2.9, 1.2, 0.4, 0.05, 0.01], [1e-3, 6e-4, 2e-4, 5e-5, 1.4e-5], [0.61, 0.6, 0.62],
                                 [152, 88, 31, 12], [0.9]]
        for values in cases {
            let chart = SVGLineChart(title: "t", series: [("s", values)])
            let ticks = yTicks(chart.svg)
            let lo = values.min()!, hi = values.max()!
            #expect(!ticks.isEmpty, "\(values)")
            #expect(chart.yRange.lo >= 0, "\(values)")
            for t in ticks {
                #expect(t >= 0, "\(values): \(ticks)")
                #expect(t >= lo - 1e-12 * Swift.max(1, abs(lo)) && t <= hi + 1e-12 * Swift.max(1, abs(hi)), "\(values): \(ticks)")
            }
            if values.count > 1 { #expect(ticks.count >= 3 && ticks.count <= 8, "\(values): \(ticks)") }
        }
    }

    @Test func axisTicksAreRoundMultiplesOfARoundStep() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scale = pow(10, Double.random(in: -7...7, using: &rng))
            let a = Double.random(in: -1...1, using: &rng) * scale, b = a + Double.random(in: 0.001...3, using: &rng) * scale
            let ticks = AxisTicks(lo: a, hi: b)
            #expect((3...8).contains(ticks.values.count), "\(a)...\(b): \(ticks)")
            let power = pow(10, floor(log10(ticks.step) + 1e-9))
            #expect([1.0, 2, 5].contains { abs(ticks.step / power - $0) < 1e-9 }, "\(ticks.step)")
            for (value, label) in zip(ticks.values, ticks.labels) {
                #expect(value >= a - ticks.step * 1e-6 && value <= b + ticks.step * 1e-6)
                let parsed = Double(label)!
                #expect(abs(parsed / ticks.step - (parsed / ticks.step).rounded()) < 1e-6, "\(label) step \(ticks.step)")
                #expect(abs(parsed - value) <= ticks.step * 1e-6, "\(label) vs \(value)")
            }
        }
        #expect(AxisTicks(lo: 0.05, hi: 0.95).labels == ["0.2", "0.4", "0.6", "0.8"])
        #expect(AxisTicks(lo: 1.4e-5, hi: 1e-3).labels == ["2e-4", "4e-4", "6e-4", "8e-4", "1e-3"])
        #expect(AxisTicks(lo: 1.2e-4, hi: 1.8e-4).labels == ["1.2e-4", "1.4e-4", "1.6e-4", "1.8e-4"])
        #expect(AxisTicks(lo: 1, hi: 40, integers: true).labels == ["10", "20", "30", "40"])
        #expect(AxisTicks(lo: 1, hi: 3, integers: true).labels == ["1", "2", "3"])
        #expect(AxisTicks(lo: 0.61, hi: 0.61).labels == ["0.61"])
    }
}
