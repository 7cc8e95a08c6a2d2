import Foundation
import TrainKitCore
import TrainKitData
import TrainKitMetrics
import TrainKitNN
import TrainKitOptim

/// Trains a model: the loop users would otherwise write by hand (Keras' `fit` / `evaluate` / `predict`).
///
/// Each epoch visits the training data in a seeded order (a pure function of `(seed, epoch)`), runs the model
/// in training mode, takes the loss, back-propagates, optionally accumulates gradients over several batches
/// and clips them, steps the optimizer, and then evaluates on the validation data in evaluation mode without
/// recording a graph. A NaN or infinite loss or gradient stops training with an error naming the epoch and
/// batch. Callbacks see every event and can stop the run; checkpoints capture everything needed to continue
/// a run exactly, even from the middle of an epoch.
///
/// The step stays on the device: the loss of each batch is kept as a tensor and read back every
/// ``logInterval`` batches, at the end of each epoch, before each checkpoint, or when a callback asks
/// (``runningLoss()``); labels are checked once per dataset before training starts.
///
/// ```swift
/// let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 1e-3), metrics: [.accuracy],
///                       callbacks: [.earlyStopping(patience: 3), .checkpoint(to: "runs/mnist")])
/// let history = try trainer.fit(train, validation: val, epochs: 10, batchSize: 64)
/// print(trainer.evaluate(test))   // ["loss": 0.04, "accuracy": 0.987]
/// ```
public final class Trainer {
    public let model: any Layer
    public var loss: TrainingLoss
    public let optimizer: any OptimizerProtocol
    public var metrics: [MetricKind]
    public private(set) var callbacks: [Callback]
    /// Seeds the data order, the validation split and the global random stream (dropout, initializers).
    public var seed: UInt64
    /// Per-class weights for cross-entropy (`[C]`), e.g. inverse class frequencies.
    public var classWeights: Tensor?
    /// Batches whose gradients are summed before each optimizer step (the loss is divided by this).
    public var accumulationSteps = 1
    /// Clip the global 2-norm of the gradients to this value before each step.
    public var gradientClipNorm: Double?
    /// Clip every gradient element to `[-v, v]` before each step.
    public var gradientClipValue: Double?
    /// Stop with ``TrainingError/nonFinite(epoch:batch:what:value:)`` on a NaN/infinite loss or gradient.
    ///
    /// The error names the epoch and batch where the value first appeared, but it is noticed only when the
    /// trainer reads the loss from the device (see ``logInterval``): up to `logInterval - 1` further batches
    /// may run, and step the optimizer, before training stops. A checkpoint is never written past it.
    public var stopsOnNonFinite = true
    /// Batches between reads of the running loss from the device (PyTorch Lightning's `log_every_n_steps`):
    /// the `loss` in ``Callback/batchEnd(_:epoch:batch:logs:stepped:)``'s logs, and the non-finite check.
    /// The last batch of every epoch is read too. Smaller values stop sooner on a NaN; larger ones wait less
    /// on the device.
    public var logInterval = 50
    /// Background batches prepared while the model trains (0: none).
    public var prefetch = 2
    /// Replaces "loss of model(features) vs labels" for models whose step is different (autoencoders,
    /// contrastive losses): returns the scalar loss for a batch (the trainer back-propagates it).
    public var trainingStep: ((Trainer, Batch) -> Tensor)?

    /// The ranks to train with, data-parallel (PyTorch DDP), when it has more than one (docs/distributed.md);
    /// nil or one rank trains in this process alone. `batchSize` is then per rank.
    public var processGroup: (any ProcessGroup)?
    /// Text every rank must agree on before data-parallel training starts (the CLI passes its resolved config).
    public var distributedFingerprint: String?
    private var parallel: DataParallelFit?

    /// Set by a callback (early stopping) to end training after the current batch or epoch.
    public var stopTraining = false
    public private(set) var history = History()
    public private(set) var globalStep = 0
    public private(set) var batchesPerEpoch = 0
    public private(set) var plannedEpochs = 0
    public private(set) var lastBatchSize = 0

    private var running = RunningLoss()
    /// The optimizer's parameters and their names, for the gradient check (set when `fit` starts).
    private var checkedParameters: (names: [String], parameters: [Parameter]) = ([], [])

    /// - Parameters:
    ///   - optimizer: an optimizer over the model's parameters (``Optimizer``), for full control of groups.
    ///   - progress: how progress is shown on standard error.
    public init(model: any Layer, loss: TrainingLoss, optimizer: any OptimizerProtocol, metrics: [MetricKind] = [],
                callbacks: [Callback] = [], seed: UInt64 = 0, progress: ProgressMode = .automatic) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.metrics = metrics
        self.callbacks = callbacks
        self.seed = seed
        if progress != .silent { self.callbacks.append(ProgressDisplay(mode: progress)) }
    }

    /// A trainer whose optimizer applies `rule` to every trainable parameter of `model`.
    public convenience init<Rule: UpdateRule>(model: any Layer, loss: TrainingLoss, optimizer rule: Rule,
                                              metrics: [MetricKind] = [], callbacks: [Callback] = [], seed: UInt64 = 0,
                                              progress: ProgressMode = .automatic) {
        self.init(model: model, loss: loss, optimizer: Optimizer(rule, parameters: model.trainableParameters),
                  metrics: metrics, callbacks: callbacks, seed: seed, progress: progress)
    }

    // MARK: - fit

    /// Trains for `epochs` epochs (counting epochs already done when resuming).
    ///
    /// With batch-norm layers, a last training batch of one row is dropped (see `dropsOneRowBatch`).
    ///
    /// - Parameters:
    ///   - validation: evaluated after every epoch (`val_loss`, `val_<metric>`); when nil and
    ///     `validationSplit` is set, that fraction of `train` is held out (seeded).
    ///   - resumeFrom: a run directory (with `checkpoints/`), a checkpoints directory or one checkpoint:
    ///     training continues from its epoch and batch with its weights, optimizer, schedule, random stream
    ///     and history, and ends exactly as an uninterrupted run would.
    @discardableResult
    public func fit(_ train: any Dataset<Sample>, validation: (any Dataset<Sample>)? = nil, epochs: Int,
                    batchSize: Int = 32, validationSplit: Double? = nil, shuffle: Bool = true,
                    resumeFrom: URL? = nil) throws -> History {
        guard epochs >= 1 else { throw TrainingError.invalidArgument("fit: epochs must be >= 1, got \(epochs)") }
        guard batchSize >= 1 else { throw TrainingError.invalidArgument("fit: batchSize must be >= 1, got \(batchSize)") }
        guard accumulationSteps >= 1 else {
            throw TrainingError.invalidArgument("fit: accumulationSteps must be >= 1, got \(accumulationSteps)")
        }
        guard logInterval >= 1 else {
            throw TrainingError.invalidArgument("fit: logInterval must be >= 1, got \(logInterval)")
        }
        var trainSet: any Dataset<Sample> = train
        var validationSet = validation
        if validationSet == nil, let fraction = validationSplit {
            guard fraction > 0 && fraction < 1 else {
                throw TrainingError.invalidArgument("fit: validationSplit must be in (0, 1), got \(fraction)")
            }
            func split<D: Dataset<Sample>>(_ d: D) -> (any Dataset<Sample>, any Dataset<Sample>) {
                let (kept, held) = d.split(fraction: 1 - fraction, seed: seed)
                return (kept, held)
            }
            (trainSet, validationSet) = split(train)
        }
        guard trainSet.count > 0 else { throw TrainingError.invalidArgument("fit: the training set is empty") }
        // Data-parallel: every rank reads its shard of each global batch of batchSize × ranks.
        let group = parallelGroup
        let globalBatch = batchSize * (group?.worldSize ?? 1)
        let dropLast = try Self.dropsOneRowBatch(model: model, count: trainSet.count, batchSize: globalBatch)
        let loader = DataLoader(trainSet, batchSize: globalBatch, shuffle: shuffle, dropLast: dropLast, seed: seed,
                                prefetch: prefetch,
                                shard: group.map { DataShard(rank: $0.rank, count: $0.worldSize) } ?? .whole)
        batchesPerEpoch = loader.batchesPerEpoch
        plannedEpochs = epochs
        stopTraining = false

        var startEpoch = 0, startBatch = 0
        if let resumeFrom {
            (startEpoch, startBatch) = try restore(from: resumeFrom)
        } else {
            Random.seed(seed)
            history = History()
            globalStep = 0
            running.reset()
        }
        try validateLabels(of: trainSet, batchSize: batchSize)
        if let validationSet, validationSet.count > 0 {
            try validateLabels(of: validationSet, batchSize: batchSize, role: "validation data")
        }
        let named = namedParameters(optimizer.allParameters)
        checkedParameters = (named.map(\.0), named.map(\.1))
        if let group {
            parallel = try DataParallelFit(trainer: self, group: group, items: [
                ("training data size", "\(trainSet.count)"), ("validation data size", "\(validationSet?.count ?? 0)"),
                ("per-rank batch size", "\(batchSize)"), ("epochs", "\(epochs)"),
                ("resume point", "epoch \(startEpoch) batch \(startBatch) step \(globalStep)"),
                ("config", distributedFingerprint ?? ""),
            ])
        }
        defer {
            parallel?.end()
            parallel = nil
        }

        for callback in callbacks { try callback.fitStart(self) }
        var epoch = startEpoch
        while epoch < epochs && !stopTraining {
            model.isTraining = true
            for callback in callbacks { try callback.epochStart(self, epoch: epoch) }
            if startBatch == 0 { running.reset() }
            var batchIndex = startBatch
            for batch in loader.batches(epoch: epoch, startingAt: startBatch) {
                for callback in callbacks { try callback.batchStart(self, epoch: epoch, batch: batchIndex) }
                let isLast = batchIndex + 1 == batchesPerEpoch
                let stepped = try trainBatch(batch, epoch: epoch, batch: batchIndex,
                                             step: (batchIndex + 1) % accumulationSteps == 0 || isLast)
                var logs: [String: Double] = [:]
                if (batchIndex + 1) % logInterval == 0 || isLast { logs["loss"] = try runningLoss() }
                for callback in callbacks {
                    try callback.batchEnd(self, epoch: epoch, batch: batchIndex, logs: logs, stepped: stepped)
                }
                batchIndex += 1
                if let parallel { stopTraining = parallel.agreeToStop(stopTraining) }
                if stopTraining { break }
            }
            startBatch = 0
            var logs = ["loss": try runningLoss()]
            if let lr = optimizer.learningRates.first { logs["lr"] = lr }
            if let validationSet, validationSet.count > 0 {
                for (k, v) in evaluate(validationSet, batchSize: batchSize) { logs["val_" + k] = v }
            }
            if let parallel { logs = parallel.shareEpochLogs(logs) }
            history.epochs.append(logs)
            for callback in callbacks { try callback.epochEnd(self, epoch: epoch, logs: logs) }
            if let parallel { stopTraining = parallel.agreeToStop(stopTraining) }
            epoch += 1
        }
        for callback in callbacks { try callback.fitEnd(self) }
        model.isTraining = false
        return history
    }

    /// One forward/backward pass; steps the optimizer when `step`. Returns whether it stepped.
    private func trainBatch(_ batch: Batch, epoch: Int, batch index: Int, step: Bool) throws -> Bool {
        if let parallel {
            let global = parallelForwardBackward(batch, parallel: parallel, step: step) { batch in
                trainingStep?(self, batch) ?? loss(model(batch.features), batch.labels, classWeights: classWeights)
            }
            lastBatchSize = global.samples
            running.append(loss: Tensor([global.loss], shape: []), samples: global.samples, epoch: epoch, batch: index)
        } else {
            lastBatchSize = batch.count
            let lossValue: Tensor
            if let trainingStep {
                lossValue = trainingStep(self, batch)
            } else {
                lossValue = loss(model(batch.features), batch.labels, classWeights: classWeights)
            }
            running.append(loss: lossValue, samples: batch.count, epoch: epoch, batch: index)
            (accumulationSteps == 1 ? lossValue : lossValue * (1.0 / Double(accumulationSteps))).backward()
        }
        guard step else { return false }
        let parameters = optimizer.allParameters
        if stopsOnNonFinite {
            let (names, checked) = checkedParameters
            let withGradients = checked.indices.filter { checked[$0].grad != nil }
            running.appendCheck(of: withGradients.map { checked[$0].grad! }, names: withGradients.map { names[$0] },
                                epoch: epoch, batch: index)
        }
        if let gradientClipValue { clipGradValue(parameters, clipValue: gradientClipValue) }
        if let gradientClipNorm { _ = try clipGradNorm(parameters, maxNorm: gradientClipNorm, errorIfNonfinite: false) }
        optimizer.step()
        optimizer.zeroGrad()
        globalStep += 1
        return true
    }

    /// Names for the optimizer's parameters: the model's dotted names where known.
    private func namedParameters(_ parameters: [Parameter]) -> [(String, Parameter)] {
        var names: [ObjectIdentifier: String] = [:]
        for (name, p) in model.namedParameters { names[ObjectIdentifier(p)] = name }
        return parameters.enumerated().map { (names[ObjectIdentifier($0.element)] ?? "parameter \($0.offset)", $0.element) }
    }

    /// The running mean loss of the epoch so far, read from the device (with the non-finite check).
    ///
    /// Callbacks call it where they need the value between the trainer's own reads (a progress bar at its
    /// refresh interval); each call waits for the device to finish the batches queued so far.
    /// - Throws: ``TrainingError/nonFinite(epoch:batch:what:value:)`` when a loss or gradient since the last
    ///   read was NaN or infinite (and ``stopsOnNonFinite`` is set).
    public func runningLoss() throws -> Double {
        try running.settle(stopsOnNonFinite: stopsOnNonFinite)
        return running.mean
    }

    // MARK: - evaluate / predict

    /// The mean loss and every metric over `data`, in evaluation mode without recording a graph.
    public func evaluate(_ data: any Dataset<Sample>, batchSize: Int = 256) -> [String: Double] {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var metricStates = metrics.map { $0.makeMetric() }
        var losses = RunningLoss()
        let loader = DataLoader(data, batchSize: batchSize, shuffle: false, seed: 0)
        noGrad {
            for (index, batch) in loader.batches(epoch: 0).enumerated() {
                let outputs = model(batch.features)
                let batchLoss = trainingStep.map { $0(self, batch) }
                    ?? loss(outputs, batch.labels, classWeights: classWeights)
                losses.append(loss: batchLoss, samples: batch.count, epoch: 0, batch: index)
                // Metrics fold host values in batch by batch (TrainKitMetrics' streaming state).
                for i in metricStates.indices { metricStates[i].update(predictions: outputs, targets: batch.labels) }
            }
        }
        try? losses.settle(stopsOnNonFinite: false)  // one read for the whole pass; never throws
        var results = ["loss": losses.mean]
        for m in metricStates {
            if case .scalar(let v) = m.compute() { results[m.name] = v }
        }
        return results
    }

    /// The model's outputs for every sample of `data`, stacked: `[count, ...]`.
    public func predict(_ data: any Dataset<Sample>, batchSize: Int = 256) -> Tensor {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let loader = DataLoader(data, batchSize: batchSize, shuffle: false, seed: 0)
        return noGrad { Tensor.cat(loader.batches(epoch: 0).map { model($0.features) }, dim: 0) }
    }

    /// The model's outputs for a batch of inputs, in evaluation mode.
    public func predict(_ features: Tensor) -> Tensor {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        return noGrad { model(features) }
    }

    // MARK: - checkpoints

    /// A checkpoint of the run as it stands, to continue at `(epoch, nextBatch)`.
    ///
    /// Reads the running loss from the device first (``runningLoss()``), so a checkpoint never holds a run
    /// past a non-finite loss or gradient.
    /// - Throws: ``TrainingError/nonFinite(epoch:batch:what:value:)`` from that read.
    public func checkpoint(epoch: Int, nextBatch: Int) throws -> Checkpoint {
        try running.settle(stopsOnNonFinite: stopsOnNonFinite)
        let random = Random.position
        var callbackStates: [String: CallbackState] = [:]
        for c in callbacks { if let key = c.stateKey, let s = c.checkpointState() { callbackStates[key] = s } }
        let optimizerState = optimizer.stateDict()
        let state = TrainingState(epoch: epoch, nextBatch: nextBatch, globalStep: globalStep, randomSeed: random.seed,
                                  randomDrawn: random.drawn, history: history, runningLossSum: running.sum,
                                  runningLossCount: running.count, optimizer: optimizerState.metadata,
                                  callbacks: callbackStates)
        return Checkpoint(model: model.stateDict(), optimizer: optimizerState.tensors, state: state)
    }

    /// Restores a checkpoint (see `fit(resumeFrom:)`); returns the epoch and batch to continue at.
    private func restore(from url: URL) throws -> (Int, Int) {
        let checkpoint: Checkpoint
        let fm = FileManager.default
        if fm.fileExists(atPath: url.appendingPathComponent("state.json").path) {
            checkpoint = try Checkpoint.read(from: url)
        } else {
            let directory = fm.fileExists(atPath: url.appendingPathComponent("checkpoints").path)
                ? url.appendingPathComponent("checkpoints") : url
            let found = try CheckpointStore(directory: directory).loadLatestValid()
            for problem in found.skipped {
                FileHandle.standardError.write(Data("warning: skipped a damaged checkpoint: \(problem)\n".utf8))
            }
            checkpoint = found.checkpoint
        }
        do {
            try model.load(stateDict: checkpoint.model)
            let saved = OptimizerStateDict(tensors: checkpoint.optimizer, metadata: checkpoint.state.optimizer)
            let renumbered = LegacyCheckpoint.optimizerState(saved, checkpointModel: checkpoint.model, model: model,
                                                             parameters: optimizer.allParameters)
            try optimizer.load(stateDict: renumbered)
        } catch {
            throw TrainingError.checkpoint("\(url.path) does not fit this model or optimizer: \(error)")
        }
        let s = checkpoint.state
        for c in callbacks { if let key = c.stateKey, let saved = s.callbacks[key] { try c.restore(saved) } }
        Random.position = (s.randomSeed, s.randomDrawn)
        history = s.history
        globalStep = s.globalStep
        running.reset(sum: s.runningLossSum, count: s.runningLossCount)
        if s.nextBatch >= batchesPerEpoch { return (s.epoch + 1, 0) }
        return (s.epoch, s.nextBatch)
    }
}
