import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// The task rule of ``TaskChoice`` (after AutoGluon's `infer_problem_type`) and how a run reports it.
@Suite(.serialized) struct TaskInferenceTests {
    static func numeric(_ values: [Double]) -> Column { .numeric(values) }
    static func repeated(_ values: [Double], rows: Int) -> [Double] { (0..<rows).map { values[$0 % values.count] } }

    @Test func twoDistinctValuesAreBinaryClassification() {
        let choice = TaskChoice.choose(configured: nil, target: "y", column: Self.numeric(Self.repeated([0, 1], rows: 10)))
        #expect(choice.task == .classification)
        #expect(choice.note.contains("two distinct values, 0 and 1") && choice.note.contains("training.task: regression"))
        // Two fractional values are two classes too (AutoGluon's rule 1 looks at the count only).
        #expect(TaskChoice.choose(configured: nil, target: "y", column: Self.numeric([1.5, 2.5, 1.5])).task == .classification)
    }

    @Test func digitsNeedEnoughRowsPerClass() {
        let digits = (0..<10).map(Double.init)
        // k = 10 ≤ 0.1 · 100: classification; with 99 rows 10 > 9.9: regression.
        let hundred = TaskChoice.choose(configured: nil, target: "d", column: Self.numeric(Self.repeated(digits, rows: 100)))
        #expect(hundred.task == .classification)
        #expect(hundred.note.contains("10 distinct whole numbers in 100 rows"))
        let fewer = TaskChoice.choose(configured: nil, target: "d", column: Self.numeric(Self.repeated(digits, rows: 99)))
        #expect(fewer.task == .regression)
        #expect(fewer.note.contains("training.task: classification to override"))
        // Above 1000 rows the ratio is 0.05: 20 classes need 400 rows; 21 classes never infer.
        let twenty = (0..<20).map(Double.init)
        #expect(TaskChoice.choose(configured: nil, target: "d", column: Self.numeric(Self.repeated(twenty, rows: 2000))).task == .classification)
        let twentyOne = (0..<21).map(Double.init)
        #expect(TaskChoice.choose(configured: nil, target: "d", column: Self.numeric(Self.repeated(twentyOne, rows: 5000))).task == .regression)
    }

    @Test func fractionsTextMissingValuesAndTheConfigKey() {
        #expect(TaskChoice.choose(configured: nil, target: "y", column: Self.numeric(Self.repeated([1, 2, 2.5], rows: 300))).task == .regression)
        let text = TaskChoice.choose(configured: nil, target: "y", column: .string(["a", "b", nil]))
        #expect(text.task == .classification && text.note.contains("holds text"))
        // Missing values (NaN) do not count as a value: {3, 4, 5} over 60 rows present.
        let withMissing = Self.repeated([3, 4, 5], rows: 60) + [.nan]
        #expect(TaskChoice.choose(configured: nil, target: "y", column: Self.numeric(withMissing)).task == .classification)
        let forced = TaskChoice.choose(configured: .regression, target: "y", column: Self.numeric(Self.repeated([0, 1], rows: 10)))
        #expect(forced.task == .regression && forced.note == "task: regression (set by training.task)")
    }

    /// A 0/1 label trains as classification, says so on standard error, and `--json` carries the task;
    /// `cv --stratified` accepts it.
    @Test func zeroOneLabelTrainsAsClassificationEndToEnd() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["x1,x2,label"]
        for i in 0..<200 {
            let x1 = Double(i % 20) / 10 - 1, x2 = Double((i * 7) % 13) / 6.5 - 1
            rows.append("\(x1),\(x2),\(x1 + 0.5 * x2 > 0 ? 1 : 0)")
        }
        let csv = try write(rows.joined(separator: "\n") + "\n", to: "binary.csv", in: dir)
        let config = try write("""
            seed: 0
            data: {train: \(csv), target: label, test_split: 0.2, validation_split: 0.1}
            model: {kind: mlp, hidden: [8]}
            training: {epochs: 2, batch_size: 32, progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """, to: "binary.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("task: classification (target 'label' holds two distinct values, 0 and 1; set training.task: regression to override)"),
                "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        #expect(object["task"] as? String == "classification")
        let metrics = try #require(object["metrics"] as? [String: Double])
        #expect(metrics["test_accuracy"] != nil && metrics["test_rmse"] == nil)

        let overridden = trainkit(["train", config, "--json", "--overwrite", "--set", "training.task=regression"])
        #expect(overridden.status == 0, "\(overridden.diagnostics)")
        #expect(try jsonObject(overridden.output)["task"] as? String == "regression")

        let cv = trainkit(["cv", config, "--folds", "2", "--stratified"])
        #expect(cv.status == 0, "\(cv.diagnostics)")
        #expect(cv.diagnostics.contains("task: classification (target 'label'"))
    }
}
