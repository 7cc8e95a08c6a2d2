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
        let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("- model: mlp, hidden [32]"))
    }

    @Test func chartScalesToTheFiniteValues() {
        let chart = SVGLineChart(title: "loss <a&b>", series: [("train", [2, 1, .nan, 0.5]), ("flat", [1, 1, 1, 1])])
        let svg = chart.svg
        #expect(svg.contains("loss &lt;a&amp;b&gt;"))
        #expect(!svg.contains("nan"))
        // The largest value sits at the top of the plot area, the smallest at the bottom (5% padding each).
        let points = svg.split(separator: "\n").first { $0.hasPrefix("<polyline") }!
        // y range [0.425, 2.075]: y(2) = 28 + 196·(1 − 1.575/1.65) = 36.9, y(0.5) = 28 + 196·(1 − 0.075/1.65) = 215.1.
        #expect(points.contains("56.0,36.9") && points.contains("548.0,215.1"), "\(points)")
    }
}
