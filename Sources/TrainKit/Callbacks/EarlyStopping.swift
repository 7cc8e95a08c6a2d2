import TrainKitCore
import TrainKitNN

/// Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs (Keras'
/// `EarlyStopping`). With `restoreBestWeights`, the model ends with the weights of its best epoch.
public final class EarlyStopping: Callback {
    public let monitor: String
    public let patience: Int
    public let minDelta: Double
    public let mode: MonitorMode
    public let restoreBestWeights: Bool
    public private(set) var best: Double
    public private(set) var bestEpoch = -1
    public private(set) var wait = 0
    public private(set) var stoppedEpoch: Int?
    private var bestWeights: [String: Tensor]?

    public init(monitor: String = "val_loss", patience: Int = 5, minDelta: Double = 0, mode: MonitorMode = .auto,
                restoreBestWeights: Bool = true) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = Swift.abs(minDelta)
        self.mode = mode.resolved(for: monitor)
        self.restoreBestWeights = restoreBestWeights
        self.best = self.mode == .max ? -.infinity : .infinity
    }

    public override var stateKey: String? { "early_stopping" }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        guard let value = logs[monitor] else {
            throw TrainingError.invalidArgument("early stopping monitors '\(monitor)', which this run does not report (it has: \(logs.keys.sorted().joined(separator: ", ")))")
        }
        if mode.isImprovement(value, over: best, minDelta: minDelta) {
            best = value
            bestEpoch = epoch
            wait = 0
            if restoreBestWeights { bestWeights = trainer.model.stateDict() }
        } else {
            wait += 1
            if wait >= patience {
                stoppedEpoch = epoch
                trainer.stopTraining = true
            }
        }
    }

    public override func fitEnd(_ trainer: Trainer) throws {
        if restoreBestWeights, stoppedEpoch != nil, let bestWeights {
            try trainer.model.load(stateDict: bestWeights)
        }
    }

    public override func checkpointState() -> CallbackState? {
        CallbackState(values: ["best": best, "best_epoch": Double(bestEpoch), "wait": Double(wait)],
                      tensors: bestWeights ?? [:])
    }

    public override func restore(_ state: CallbackState) throws {
        best = state.values["best"] ?? best
        bestEpoch = Int(state.values["best_epoch"] ?? -1)
        wait = Int(state.values["wait"] ?? 0)
        bestWeights = state.tensors.isEmpty ? nil : state.tensors
    }
}

extension Callback {
    /// Stops when `monitor` stops improving; see ``EarlyStopping``.
    public static func earlyStopping(monitor: String = "val_loss", patience: Int = 5, minDelta: Double = 0,
                                     mode: MonitorMode = .auto, restoreBestWeights: Bool = true) -> Callback {
        EarlyStopping(monitor: monitor, patience: patience, minDelta: minDelta, mode: mode,
                      restoreBestWeights: restoreBestWeights)
    }
}
