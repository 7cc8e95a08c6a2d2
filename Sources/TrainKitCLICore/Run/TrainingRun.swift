import Foundation
import TrainKit
import TrainKitTracking

/// One `trainkit train`: prepares the data, builds the model, trains with checkpoints, evaluates on the
/// validation and test sets and writes the run directory:
///
/// ```
/// RUN_DIR/config.yaml            the resolved config
/// RUN_DIR/metrics.jsonl, .csv    one line per epoch
/// RUN_DIR/metrics.json           the final metrics
/// RUN_DIR/report.md, report.html the report (the page has learning curves, the kept epoch, the epoch table
///                                and the confusion matrix)
/// RUN_DIR/confusion.csv          classification: every cell of the confusion matrix
/// RUN_DIR/checkpoints/           resumable checkpoints (`--resume RUN_DIR`)
/// RUN_DIR/best/model.safetensors the weights of the best validation loss
/// RUN_DIR/model/                 weights.safetensors + model.json (what evaluate / predict read), and
///                                optimizer.safetensors (the optimizer's final state, for `--init-optimizer`)
/// RUN_DIR/tensorboard/           TensorBoard event files (`training.tensorboard`)
/// RUN_DIR/.trainkit.lock         held while a run writes the directory
/// RUN_DIR/.trainkit-previous/    the earlier run, kept until this one completes
/// ```
///
/// Nothing in the directory changes before the config, the data and the model have passed every check, a
/// failed run leaves the directory as it found it, and files that no run wrote are never touched
/// (``RunDirectory``). SIGINT and SIGTERM stop the run after the current step with a checkpoint to resume from.
///
/// With `tracking.mlflow` the run is also logged to MLflow (``RunTracking``): params and tags when training
/// starts, metrics each epoch, and the final metrics and the run directory once it is complete.
///
/// `cv` and `tune` run it too: a cross-validation fold with its own data and nothing written, a tune trial
/// with cached data, a pruning reporter and no test evaluation.
struct TrainingRun {
    let config: RunConfig
    let resume: Bool
    let io: CommandIO
    /// Replace an unfinished run in `output`, or write beside files that no run wrote (`--overwrite`).
    var overwrite = false
    /// The data when the caller prepared it (a cross-validation fold, a tune trial's cached split); nil reads
    /// it as `config` says.
    var data: PreparedData? = nil
    /// Callbacks run after the config's (a tune trial's pruning reporter).
    var extraCallbacks: [Callback] = []
    /// Write the run directory; false keeps everything in memory (cross-validation folds).
    var persists = true
    /// Score the test part; tune trials leave it alone, so that selection sees validation scores only.
    var evaluatesTest = true
    /// The config file, for the MLflow tags (its path and git commit).
    var configFile: String? = nil
    /// Data-parallel ranks (``Trainer/processGroup``); a rank other than 0 runs with `persists` off and, with
    /// `resume`, reads rank 0's checkpoints from `output`.
    var processGroup: (any ProcessGroup)? = nil
    /// `--init-from`: the source whose weights (and, unless refit, preprocessing) the run starts from; the run
    /// directory records it in `lineage.json` (``WarmStart``).
    var warmStart: WarmStart? = nil

    struct Result {
        var runDirectory: URL
        var metrics: [String: Double]
        var artifact: ModelArtifact
        var epochs: Int
    }

    func run() throws -> Result {
        // A persisted run's MLflow run ends once the run directory is complete, so its files go up as artifacts
        // (checkpoints stay local: they are for --resume).
        let mlflow = persists
            ? RunTracking.mlflow(config, runName: URL(fileURLWithPath: config.output).lastPathComponent,
                                 configFile: configFile, warning: RunTracking.warning(io))
            : nil
        do {
            let result = try execute(mlflow: mlflow)
            mlflow?.finish(status: .finished, finalMetrics: result.metrics, artifacts: result.runDirectory,
                           skipping: ["checkpoints"])
            return result
        } catch {
            if mlflow?.run != nil { mlflow?.finish(status: error is RunInterrupted ? .killed : .failed) }
            throw error
        }
    }

    private func execute(mlflow: MLflowLogger?) throws -> Result {
        if config.model.kind.isUnsupervised { return try UnsupervisedRun(run: self).execute() }
        let started = Date()
        let runDirectory = URL(fileURLWithPath: config.output)
        // Every check of the directory comes first (before any data is read), and nothing in it changes until
        // the data, the config and the model have passed theirs (RunDirectory).
        let directory = persists ? try RunDirectory(runDirectory, mode: resume ? .resume : .fresh(overwrite: overwrite),
                                                    io: io) : nil
        if persists { RunInterruption.install() }
        defer { if persists { RunInterruption.uninstall() } }
        let prepared: Prepared
        do {
            prepared = try prepare(runDirectory: runDirectory, mlflow: mlflow)
            if let signal = RunInterruption.pending {
                throw RunInterrupted(signal: signal, stopped: nil, runDirectory: runDirectory)
            }
        } catch {
            directory?.abandon()
            throw error
        }
        do {
            let resumes = try directory?.begin(config: try config.yamlText())
                ?? (resume && processGroup != nil && FileManager.default.fileExists(
                    atPath: runDirectory.appendingPathComponent("checkpoints/latest").path))
            // Written as the run begins, so that a `--resume` of an interrupted warm start finds its source.
            if directory != nil { try warmStart?.writeLineage(to: runDirectory) }
            let result = try train(prepared, runDirectory: runDirectory, resumes: resumes, started: started)
            directory?.commit()
            return result
        } catch let interrupted as RunInterrupted {
            directory?.keepForResume()
            throw interrupted
        } catch {
            directory?.abandon()
            throw error
        }
    }

    /// The data, the model and the trainer of a run, checked and ready to train.
    private struct Prepared {
        var data: PreparedData
        var spec: ModelSpec
        var model: any Layer
        var trainer: Trainer
        var baseline: BiasBaseline?
        var start: BiasBaseline?
        /// The training settings in effect (the config's, or ``SmallTableDefaults``' for a small table).
        var training: TrainingConfig
    }

    /// Reads and checks the data and builds the model and the trainer; touches no file.
    private func prepare(runDirectory: URL, mlflow: MLflowLogger?) throws -> Prepared {
        try warmStart?.check(config)
        let data = try self.data ?? PreparedData.read(config, io: io, kept: warmStart?.keptPreprocessing)
        let task = data.preprocessing.task
        io.progress("\(task.rawValue): \(data.summary)")

        Random.seed(config.seed)
        var spec = ModelSpec(config: config, data: data)
        if let warmStart { warmStart.adoptDataDependentDefaults(&spec, config: config) }
        try checkModelSize(spec: spec)
        // Recommenders are scored against the classic bias baseline (one λ for users and items) and start from
        // biases with a λ each, which the validation ratings choose.
        let baselines = spec.kind == .recommender ? BiasBaseline.tuned(train: data.train, validation: data.validation) : nil
        let baseline = baselines?.oneLambda, start = baselines?.separate
        let model = start.map { ModelFactory.recommender(spec, baseline: $0) } ?? ModelFactory.build(spec)
        io.progress("model \(spec.kind.rawValue): \(model.parameterCount) parameters")
        if let warmStart {
            try warmStart.loadWeights(into: model)
            io.progress("warm start from \(warmStart.source) (\(warmStart.modelFile.path)), preprocessing \(warmStart.refit ? "refit" : "kept")")
        }
        if let net = LinearStartNet.find(in: model) {
            // A warm start's linear start comes with the source's weights; it is not fitted again.
            if warmStart == nil { LinearRun.initialize(net, spec: spec, data: data, seed: config.seed, io: io) }
            net.skip.freeze()  // the cross-validated linear fit stays; the network learns what it misses
        }

        let hasValidation = (data.validation?.count ?? 0) > 0
        let recommenderDefaults = RecommenderDefaults.applies(config)
        let (t, note) = RecommenderDefaults.training(config, hasValidation: hasValidation)
        if let note { io.progress(note) }
        var effective = config
        effective.training = t
        // `count / batchSize` rounded up without forming `count + batchSize - 1` (which overflows for huge sizes).
        let stepsPerEpoch = data.train.count / t.batchSize + (data.train.count % t.batchSize == 0 ? 0 : 1)
        var callbacks = TrainingSetup.callbacks(effective, runDirectory: runDirectory, hasValidation: data.validation != nil,
                                                stepsPerEpoch: stepsPerEpoch, persists: persists)
        if persists, let tensorBoard = RunTracking.tensorBoard(
            config, directory: RunTracking.tensorBoardDirectory(runDirectory), io: io) {
            callbacks.append(tensorBoard)
        }
        let trainer = Trainer(model: model, loss: TrainingSetup.loss(t, task: task),
                              optimizer: recommenderDefaults ? RecommenderDefaults.optimizer(model, lr: t.optimizer.lr)
                                  : TrainingSetup.optimizer(t.optimizer, parameters: model.trainableParameters),
                              metrics: Evaluation.metricKinds(task, kind: spec.kind),
                              callbacks: callbacks + extraCallbacks + (mlflow.map { [$0] } ?? []),
                              seed: config.seed,
                              progress: (processGroup?.rank ?? 0) == 0 ? TrainingSetup.progress(t.progress) : .silent)
        trainer.gradientClipNorm = t.gradientClip
        if let warmStart, warmStart.initOptimizer {
            try warmStart.loadOptimizerState(into: trainer.optimizer)
            io.progress("optimizer state from \(warmStart.source) (\(OptimizerStateFile.fileName)), with the config's hyperparameters")
        }
        if let processGroup {
            trainer.processGroup = processGroup
            trainer.distributedFingerprint = try config.yamlText()
        }
        return Prepared(data: data, spec: spec, model: model, trainer: trainer, baseline: baseline, start: start,
                        training: t)
    }

    /// Trains, evaluates and (when the run persists) writes the model, the metrics and the reports.
    private func train(_ prepared: Prepared, runDirectory: URL, resumes: Bool, started: Date) throws -> Result {
        let (data, spec, model, trainer) = (prepared.data, prepared.spec, prepared.model, prepared.trainer)
        let (baseline, start) = (prepared.baseline, prepared.start)
        let task = data.preprocessing.task
        let t = prepared.training
        let history: History
        do {
            if spec.kind == .linear {
                history = try LinearRun.fit(model, spec: spec, data: data, seed: config.seed, io: io)
            } else {
                // A network that starts from the linear fit keeps that start unless training beats it on validation
                // (LinearStartNet.selectionScore: accuracy for classification, the loss for regression). The start
                // is rebuilt the same way on resume (prepare fits it before `fit` loads the checkpoint), so a
                // resumed run ends as the uninterrupted one.
                let startGuard = LinearStartNet.find(in: model) != nil
                    ? data.validation.flatMap { v in
                        v.count > 0 ? (v, LinearStartNet.selectionScore(trainer.evaluate(v), task: task), model.stateDict()) : nil
                    }
                    : nil
                history = try trainer.fit(data.train, validation: data.validation, epochs: t.epochs, batchSize: t.batchSize,
                                      resumeFrom: resumes ? runDirectory : nil)
                if let (validation, startScore, startWeights) = startGuard,
                   LinearStartNet.selectionScore(trainer.evaluate(validation), task: task) <= startScore {
                    try model.load(stateDict: startWeights)
                    io.progress("kept the linear start: training did not beat its validation score")
                }
            }
        } catch let error as TrainingError {
            if case .labelMismatch = error {
                throw ConfigError.invalidValue(path: "training.loss", reason: error.description, location: nil)
            }
            throw error
        }
        let trainSeconds = Date().timeIntervalSince(started)

        var metrics: [String: Double] = [:]
        if let last = history.last?["loss"] { metrics["train_loss"] = last }
        metrics["epochs"] = Double(history.epochs.count)
        metrics["train_seconds"] = trainSeconds
        for (name, part) in [("val", data.validation), ("test", evaluatesTest ? data.test : nil)] {
            guard let part, part.count > 0 else { continue }
            for (key, value) in Evaluation.evaluate(model, on: part, task: task, kind: spec.kind, lossName: t.loss) {
                metrics["\(name)_\(key)"] = value
            }
        }
        if let baseline {
            if let v = data.validation, v.count > 0 { metrics["val_baseline_rmse"] = baseline.rmse(v) }
            if evaluatesTest, let test = data.test, test.count > 0 { metrics["test_baseline_rmse"] = baseline.rmse(test) }
            metrics["baseline_lambda"] = baseline.lambda
        }
        if let start {
            if let v = data.validation, v.count > 0 { metrics["val_start_rmse"] = start.rmse(v) }
            if evaluatesTest, let test = data.test, test.count > 0 { metrics["test_start_rmse"] = start.rmse(test) }
            metrics["start_user_lambda"] = start.lambda
            metrics["start_item_lambda"] = start.itemLambda
        }
        for (key, value) in metrics where !value.isFinite && key.hasSuffix("loss") {
            throw TrainingError.nonFinite(epoch: history.epochs.count - 1, batch: 0, what: key, value: value)
        }

        if spec.kind == .linear && persists { try recordLinearFit(history, metrics: metrics, trainer: trainer) }
        let artifact = ModelArtifact(spec: spec, preprocessing: data.preprocessing, model: model, metrics: metrics,
                                     config: config)
        guard persists else {
            return Result(runDirectory: runDirectory, metrics: metrics, artifact: artifact, epochs: history.epochs.count)
        }
        try artifact.write(model: model, to: runDirectory.appendingPathComponent("model"))
        // The optimizer's final state, for a warm start that continues it (`--init-optimizer`); a closed-form
        // linear fit has none.
        if spec.kind != .linear {
            try OptimizerStateFile.write(trainer.optimizer.stateDict(), to: runDirectory.appendingPathComponent("model"))
        }
        try AtomicFile.write(try JSONCoding.encode(metrics), to: runDirectory.appendingPathComponent("metrics.json"))
        let report = RunReport(config: config, artifact: artifact, history: history, data: data,
                               kept: KeptWeights.after(trainer, history: history))
        try AtomicFile.write(Data(report.markdown.utf8), to: runDirectory.appendingPathComponent("report.md"))
        var page = HTMLReport(report: report)
        if task == .classification, let classes = data.preprocessing.classes,
           let (part, name) = [(evaluatesTest ? data.test : nil, "test"), (data.validation, "validation")]
               .first(where: { ($0.0?.count ?? 0) > 0 }).map({ ($0.0!, $0.1) }) {
            let outputs = Evaluation.outputs(model, features: part.features)
            let confusion = ConfusionReport(
                matrix: HTMLReport.confusionMatrix(outputs: outputs, labels: part.labels, classCount: classes.count),
                classes: classes, part: "\(name) set, \(part.count) examples")
            try AtomicFile.write(Data(confusion.csv.utf8),
                                 to: runDirectory.appendingPathComponent(ConfusionReport.fileName))
            page.confusion = confusion
        }
        try AtomicFile.write(Data(page.html.utf8), to: runDirectory.appendingPathComponent("report.html"))
        return Result(runDirectory: runDirectory, metrics: metrics, artifact: artifact, epochs: history.epochs.count)
    }

    /// The `linear` kind's closed-form fit is its one epoch: metrics.jsonl / metrics.csv and, with
    /// `training.tensorboard`, the event file record it (the fit's loss and λ with the validation scores) as a
    /// trained run's epochs are recorded. The other callbacks (checkpoints, schedules) have nothing to do.
    private func recordLinearFit(_ history: History, metrics: [String: Double], trainer: Trainer) throws {
        var logs = history.epochs.first ?? [:]
        for (key, value) in metrics where key.hasPrefix("val_") { logs[key] = value }
        for callback in trainer.callbacks where callback is RunLogger || callback is TensorBoardLogger {
            try callback.fitStart(trainer)
            try callback.epochEnd(trainer, epoch: 0, logs: logs)
            try callback.fitEnd(trainer)
        }
    }
}
