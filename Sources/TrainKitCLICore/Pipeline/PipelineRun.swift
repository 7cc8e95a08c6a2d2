import Foundation
import TrainKit
import TrainKitRegistry

/// One `trainkit pipeline`: train the config, evaluate it, gate it; when the gate passes, register the model
/// and promote it; when it refuses, run the bounded search of `pipeline.search`, train its best trial and gate
/// that; end with a verdict, `promoted` or `rejected`.
///
/// ```
/// OUTPUT/pipeline.json   every stage as it starts and ends (PipelineJournal): --resume continues from it
/// OUTPUT/train/          the config's run
/// OUTPUT/tune/           the search (study.jsonl, best.yaml) when the first candidate was refused
/// OUTPUT/retrain/        the best trial's run
/// ```
///
/// Stages: `train` → `gate` → (`tune` → `retrain` → `gate-retrain`) → `register` → `promote`. The gate is the
/// one of `models promote` (``PromotionGate``) applied before the run is registered, so a refused candidate
/// never enters the registry; `promote` applies it again inside the store's transaction, where the holder
/// may have changed meanwhile, and records the decision.
///
/// A killed pipeline resumes (`--resume`): finished stages are kept; a run that was training continues from its
/// last checkpoint; the search continues its study journal; a registration that committed before the kill is
/// found in the store (same run directory, metrics and config) instead of being made twice.
struct PipelineRun {
    let configFile: String
    let overrides: [String]
    let config: RunConfig
    let store: StoreLocation
    let resume: Bool
    let io: CommandIO

    struct Result {
        var journal: PipelineJournal
        var directory: URL
    }

    private var pipeline: PipelineConfig { config.pipeline }
    private var name: String { pipeline.name ?? "" }
    private var directory: URL { URL(fileURLWithPath: config.output) }

    private var gate: PromotionGate {
        // The rules were checked when the config was read.
        PromotionGate(rules: pipeline.require.flatMap { (try? PromotionRule.parse($0)) ?? [] }, mustBeat: pipeline.mustBeat)
    }

    func run() throws -> Result {
        guard pipeline.isSet else {
            throw ConfigError.usage("\(configFile): no pipeline section; add one with the model's name and the gate (docs/registry.md, \"One command for the loop\"), e.g. pipeline: {name: wine, require: [\"test_rmse <= 0.7\"]}")
        }
        var journal = try openJournal()
        if let verdict = journal.verdict {
            io.progress("the pipeline in \(directory.path) already ended: \(verdict)")
            return Result(journal: journal, directory: directory)
        }
        try checkBeforeTraining()
        try journal.write(in: directory)

        var candidate = try stage("train", &journal) { earlier in
            try train(config, into: directory.appendingPathComponent("train"), interrupted: earlier != nil)
        }
        var decision = try stage("gate", &journal) { _ in try evaluateGate(candidate) }
        if decision.passed != true {
            guard pipeline.tuneTrials > 0 else { return try end(&journal, verdict: "rejected") }
            let search = try stage("tune", &journal) { _ in try tune() }
            guard let best = search.bestConfig else { return try end(&journal, verdict: "rejected") }
            var retrained = try RunConfig.load(file: best)
            retrained.output = directory.appendingPathComponent("retrain").path
            candidate = try stage("retrain", &journal) { earlier in
                try train(retrained, into: directory.appendingPathComponent("retrain"), interrupted: earlier != nil)
            }
            decision = try stage("gate-retrain", &journal) { _ in try evaluateGate(candidate) }
            guard decision.passed == true else { return try end(&journal, verdict: "rejected") }
        }
        let registered = try stage("register", &journal) { earlier in try register(candidate, interrupted: earlier != nil) }
        let promoted = try stage("promote", &journal) { _ in try promote(registered) }
        return try end(&journal, verdict: promoted.passed == true ? "promoted" : "rejected")
    }

    /// What would stop the pipeline after training, checked before: a gate on test metrics without test data,
    /// a search space that does not fit the config.
    private func checkBeforeTraining() throws {
        let d = config.data
        if d.test == nil, d.testSplit == 0, d.format != .idx,
           let rule = gate.rules.first(where: { $0.metric.hasPrefix("test_") }) {
            throw ConfigError.invalidValue(
                path: "pipeline.require", reason: "'\(rule)' needs test data, and the config holds none out: set data.test or data.test_split > 0",
                location: nil)
        }
        if pipeline.tuneTrials > 0 { _ = try tunable().check() }
    }

    // MARK: - the journal

    /// The journal to continue (`--resume`) or a new one; a pipeline already in the directory is never replaced.
    private func openJournal() throws -> PipelineJournal {
        let digest = SHA256.hex(Array(try config.yamlText().utf8))
        if let existing = try PipelineJournal.read(in: directory) {
            guard resume else {
                throw ConfigError.usage("\(directory.path) holds a pipeline already (\(PipelineJournal.fileName)): --resume continues it; another output (--set output=DIR) starts a new one")
            }
            guard existing.configDigest == digest else {
                throw ConfigError.usage("--resume: the config is not the one the pipeline in \(directory.path) started with (config.yaml digests differ); resume with the same file and --set values, or start a new pipeline in another output")
            }
            return existing
        }
        guard !resume else {
            throw ConfigError.usage("--resume: \(directory.path) has no \(PipelineJournal.fileName) to continue; run without --resume to start the pipeline")
        }
        return PipelineJournal(configDigest: digest, name: name)
    }

    /// Runs stage `name` unless the journal has it done; records it as started, then as done with what `body`
    /// returned. `body` gets the stage's earlier record when an interrupted run had started it.
    private func stage(_ name: String, _ journal: inout PipelineJournal,
                       _ body: (PipelineStage?) throws -> PipelineStage) throws -> PipelineStage {
        if let done = journal.stage(name), done.status == .done {
            io.progress("\(name): done earlier, kept")
            return done
        }
        let earlier = journal.stage(name)
        let started = earlier ?? PipelineStage(name: name)
        journal.record(started)
        try journal.write(in: directory)
        io.progress("\(name): \(earlier == nil ? "started" : "continued")")
        PipelineTestHook.killIfDue(name, done: false)
        var result = try body(earlier)
        PipelineTestHook.killIfDue(name, done: true)
        result.name = name
        result.status = .done
        result.startedAt = started.startedAt
        result.finishedAt = PipelineJournal.now()
        journal.record(result)
        try journal.write(in: directory)
        return result
    }

    private func end(_ journal: inout PipelineJournal, verdict: String) throws -> Result {
        journal.verdict = verdict
        try journal.write(in: directory)
        return Result(journal: journal, directory: directory)
    }

    // MARK: - the stages

    /// Trains `config` into `runDirectory`. After a kill: a run that finished is kept, one with a checkpoint
    /// continues from it, one without starts over.
    private func train(_ config: RunConfig, into runDirectory: URL, interrupted: Bool) throws -> PipelineStage {
        var config = config
        config.output = runDirectory.path
        var stage = PipelineStage(name: "")
        stage.runDir = runDirectory.path
        let metricsFile = runDirectory.appendingPathComponent("metrics.json")
        if interrupted, try RunContents.inspect(runDirectory).isFinished,
           let data = FileManager.default.contents(atPath: metricsFile.path) {
            stage.metrics = try JSONCoding.decode([String: Double].self, from: data)
            return stage
        }
        let checkpoint = runDirectory.appendingPathComponent("checkpoints/latest").path
        let resumes = interrupted && FileManager.default.fileExists(atPath: checkpoint)
        let run = TrainingRun(config: config, resume: resumes, io: io, overwrite: interrupted && !resumes,
                              configFile: configFile)
        stage.metrics = try run.run().metrics
        return stage
    }

    /// The gate on the run in `candidate`, against the current holder of `must_beat`.
    private func evaluateGate(_ candidate: PipelineStage) throws -> PipelineStage {
        let draft = try self.draft(candidate)
        let opened = try store.open()
        defer { opened.close() }
        let holder = try pipeline.mustBeat.flatMap { alias in try Self.holder(of: alias, name: name, in: opened) }
        let decision = gate.evaluate(.candidate(draft), holder: holder)
        io.output(decision.table)
        var stage = PipelineStage(name: "")
        stage.runDir = candidate.runDir
        stage.passed = decision.passed
        stage.checks = decision.checks
        stage.holder = decision.holder
        return stage
    }

    /// The bounded search: the config with `pipeline.search.space` in place of its values, in `OUTPUT/tune`.
    private func tune() throws -> PipelineStage {
        let result = try TuneRun(tunable: try tunable(), trials: pipeline.tuneTrials, sampler: pipeline.tuneSampler,
                                 pruner: pipeline.tunePrune, metric: pipeline.tuneMetric, io: io).run()
        var stage = PipelineStage(name: "")
        stage.study = result.journal
        stage.trials = result.study.counts
        stage.bestConfig = result.bestConfig?.path
        stage.bestValue = result.study.best?.value
        stage.bestParams = result.study.best.map { TuneRun.describe($0.params) }
        return stage
    }

    /// The config file as `tune` reads it: `--set` applied, each key of `pipeline.search.space` replaced by its
    /// spec, the study in `OUTPUT/tune` (``TunableConfig`` leaves the `pipeline` section out).
    private func tunable() throws -> TunableConfig {
        var tree = try ConfigNode.load(file: configFile)
        for assignment in overrides { try ConfigOverride.apply(assignment, to: &tree) }
        try tree.set(ConfigNode(.string(directory.appendingPathComponent("tune").path)), at: ["output"])
        for entry in pipeline.tuneSpace {
            try tree.set(entry.value, at: entry.key.split(separator: ".").map(String.init))
        }
        return try TunableConfig(file: configFile, tree: tree)
    }

    /// Registers the run of `candidate`; after a kill, a version the store already holds for it is taken.
    private func register(_ candidate: PipelineStage, interrupted: Bool) throws -> PipelineStage {
        let draft = try self.draft(candidate)
        let opened = try store.open()
        defer { opened.close() }
        var stage = PipelineStage(name: "")
        stage.runDir = candidate.runDir
        if interrupted, let existing = try Self.versions(of: name, in: opened).first(where: {
            $0.source == draft.source && $0.metrics == draft.metrics && $0.params == draft.params
        }) {
            io.progress("register: \(existing.reference) was registered before the interruption")
            stage.version = existing.reference
            return stage
        }
        let version = try opened.register(draft, from: URL(fileURLWithPath: draft.source))
        io.output("registered \(version.reference) in \(opened.label)")
        stage.version = version.reference
        return stage
    }

    /// Moves `promote_to` to the registered version through the store's gate (which records the decision).
    private func promote(_ registered: PipelineStage) throws -> PipelineStage {
        let reference = try ModelReference(parsing: registered.version ?? "")
        let opened = try store.open()
        defer { opened.close() }
        let decision = try opened.promote(reference, to: pipeline.promoteTo, gate: gate, user: RegistryModels.user)
        var stage = PipelineStage(name: "")
        stage.version = registered.version
        stage.alias = pipeline.promoteTo
        stage.passed = decision.passed
        stage.checks = decision.checks
        stage.previous = decision.holder
        if !decision.passed { io.output(decision.table) }
        return stage
    }

    // MARK: - helpers

    /// What `models register` would record for the run of `candidate`.
    private func draft(_ candidate: PipelineStage) throws -> VersionDraft {
        let run = URL(fileURLWithPath: candidate.runDir ?? directory.path)
        let record = try RunRecord(run, io: io)
        return VersionDraft(
            name: name, source: run.path, metrics: record.metrics, params: record.config, dataHashes: record.dataHashes,
            testData: record.testData, inputSchema: record.inputSchema, trainkitVersion: TrainKitVersion.current,
            parent: try Lineage.read(runDirectory: run)?.parent, artifacts: record.artifacts, user: RegistryModels.user)
    }

    /// The version `alias` names, or nil when the model or the alias does not exist yet.
    static func holder(of alias: String, name: String, in store: RegistryStore) throws -> ModelVersion? {
        do {
            return try store.resolve(ModelReference(name: name, selector: .alias(alias)))
        } catch RegistryError.unknownModel, RegistryError.unknownAlias {
            return nil
        }
    }

    static func versions(of name: String, in store: RegistryStore) throws -> [ModelVersion] {
        do {
            return try store.versions(of: name)
        } catch RegistryError.unknownModel {
            return []
        }
    }
}

/// The pipeline ended with `rejected` (exit status 1); its report was printed.
struct PipelineRejected: Error, CustomStringConvertible {
    var name: String
    var stage: String
    var description: String {
        "pipeline for '\(name)': rejected at \(stage) (no version was promoted; the tables above say why, \(PipelineJournal.fileName) records every stage)"
    }
}
