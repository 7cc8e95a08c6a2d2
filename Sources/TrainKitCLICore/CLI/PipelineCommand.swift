import ArgumentParser
import Foundation
import TrainKit
import TrainKitRegistry

/// `trainkit pipeline CONFIG [--resume] [--store S] [--set key=value ...] [--json]`.
struct PipelineCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Train, evaluate and gate a config; register and promote it, or search, retrain and gate again.",
        discussion: """
            The config's pipeline section names the model, the gate (require, must_beat), the alias to promote \
            (promote_to) and the fall-back search (search: trials, space). Stages: train, gate, then on a refusal \
            tune, retrain and gate-retrain, then register and promote. The verdict is `promoted` (exit 0) or \
            `rejected` (exit 1). The registry is --store, else the config's pipeline.store, else the default store. Every stage is recorded in OUTPUT/pipeline.json as it starts and ends; after a \
            kill, the same command with --resume continues where it stopped. docs/registry.md, "One command for \
            the loop".
            """)

    @Argument(help: "The YAML config file, with a pipeline section.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Continue the pipeline in the config's output directory from its last stage.")
    var resume = false

    @Flag(help: "Print one JSON object (verdict, model, every stage) on standard output at the end.")
    var json = false

    /// `--store` / `--artifacts`; without `--store`, the config's `pipeline.store` comes before the usual default.
    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let overrides = try options.overrides(for: config)
        let runConfig = try RunConfig.load(file: config, overrides: overrides)
        let location = try StoreLocation.resolve(store: storeOptions.store ?? runConfig.pipeline.store,
                                                artifacts: storeOptions.artifacts)
        // The stages' tables go to standard error with --json, so standard output holds the one object.
        let stageIO = json ? CommandIO(output: io.diagnostics, diagnostics: io.diagnostics) : io
        let result = try PipelineRun(configFile: config, overrides: overrides, config: runConfig, store: location,
                                     resume: resume, io: stageIO).run()
        let summary = PipelineSummary(result)
        if json {
            try io.json(summary)
        } else {
            io.output(summary.text)
        }
        if summary.verdict != "promoted" {
            throw PipelineRejected(name: result.journal.name, stage: result.journal.stages.last?.name ?? "the start")
        }
    }
}

/// The `--json` object of `pipeline`, and its last lines of text.
struct PipelineSummary: Encodable {
    var verdict: String
    /// The promoted version (`wine@3`), when there is one.
    var model: String?
    var alias: String?
    var pipeline: String
    var stages: [PipelineStage]

    init(_ result: PipelineRun.Result) {
        verdict = result.journal.verdict ?? "unfinished"
        let promote = result.journal.stage("promote")
        model = promote?.passed == true ? promote?.version : nil
        alias = promote?.alias
        pipeline = PipelineJournal.url(in: result.directory).path
        stages = result.journal.stages
    }

    /// One line per stage and the verdict.
    var text: String {
        var lines: [String] = []
        for stage in stages {
            switch stage.name {
            case "train", "retrain":
                lines.append("\(stage.name): \(stage.runDir ?? "")  \(MetricsText.line(stage.metrics ?? [:], prefixes: ["test_", "val_"]))")
            case "gate", "gate-retrain":
                let failed = (stage.checks ?? []).filter { !$0.passed }.map(\.check)
                lines.append("\(stage.name): \(stage.passed == true ? "pass" : "FAIL (\(failed.joined(separator: "; ")))")")
            case "tune":
                let counts = ["complete", "pruned", "failed"].map { "\(stage.trials?[$0] ?? 0) \($0)" }.joined(separator: ", ")
                lines.append("tune: \(counts); best \(stage.bestValue.map { String(format: "%.4f", $0) } ?? "none"): \(stage.bestParams ?? "")")
            case "register":
                lines.append("register: \(stage.version ?? "")")
            case "promote":
                lines.append("promote: \(stage.passed == true ? "\(stage.version ?? "") -> \(stage.alias ?? "")\(stage.previous.map { " (was \($0))" } ?? "")" : "refused")")
            default:
                lines.append(stage.name)
            }
        }
        lines.append("verdict: \(verdict)\(model.map { " (\($0) is \(alias ?? ""))" } ?? "")")
        return lines.joined(separator: "\n")
    }
}
