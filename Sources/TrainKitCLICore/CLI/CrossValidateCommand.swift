import ArgumentParser
import Foundation
import TrainKit

/// `trainkit cv CONFIG --folds K [--stratified] [--repeats R] [--group-by COLUMN] [--set ...] [--json]`.
struct CrossValidateCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Cross-validate a config: train a fresh model per fold and report each fold, the mean and std.",
        discussion: """
            Splits the rows of data.train into K folds (data.test and test_split are not used); each fold trains \
            on the other folds, with its preprocessing fitted on them only and validation_split of them held out \
            for validation, and is scored on its held-out rows. Nothing is written to disk.
            """)

    @Argument(help: "The YAML config file.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @Option(help: "Folds (K >= 2).")
    var folds = 5

    @Flag(help: "Keep each class's share in every fold (classification).")
    var stratified = false

    @Option(help: "Repeat the K folds R times, each with its own shuffle (K·R folds in all).")
    var repeats = 1

    @Option(
        help: ArgumentHelp(
            "Keep all rows with the same value of COLUMN in one fold (e.g. user for ratings).",
            valueName: "column"))
    var groupBy: String?

    @OptionGroup var options: ConfigOptions

    @Flag(help: #"Print one JSON object {"folds": [...], "mean": {...}, "std": {...}} on standard output."#)
    var json = false

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be >= 2, got \(folds)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1, got \(repeats)") }
        if stratified, let groupBy {
            throw ValidationError("--stratified and --group-by \(groupBy) cannot be combined: grouped folds keep groups whole, not class shares")
        }
    }

    func execute(_ io: CommandIO) throws {
        let config = try RunConfig.load(file: config, overrides: try options.overrides(for: config))
        let plan = try FoldPlan(
            config: config, folds: folds, stratified: stratified, repeats: repeats, groupBy: groupBy)
        io.progress(
            "\(plan.splits.count) folds of \(plan.count) rows"
                + (stratified ? ", stratified" : "") + (groupBy.map { ", grouped by \($0)" } ?? ""))
        let result = try CrossValidationRun(config: config, plan: plan, io: io).run()
        if json {
            io.output(String(decoding: try result.jsonData(prettyPrinted: false), as: UTF8.self))
            return
        }
        var lines: [String] = []
        for (i, metrics) in result.folds.enumerated() {
            lines.append(
                "fold \(i + 1): "
                    + metrics.keys.sorted().map { "\($0) \(RunReport.format(metrics[$0]!))" }
                    .joined(separator: "  "))
        }
        lines.append(
            "mean ± std: "
                + result.mean.keys.sorted().map {
                    "\($0) \(RunReport.format(result.mean[$0]!)) ± \(RunReport.format(result.std[$0] ?? 0))"
                }.joined(separator: "  "))
        io.output(lines.joined(separator: "\n"))
    }
}
