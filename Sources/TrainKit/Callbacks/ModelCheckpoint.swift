import Foundation
import TrainKitIO
import TrainKitNN

/// Saves resumable checkpoints of the run (``CheckpointStore`` under `<directory>/checkpoints`) at every
/// `everyEpochs`-th epoch end and, when `everySteps > 0`, every `everySteps` optimizer steps; and the best
/// weights so far by `monitor` as `<directory>/best/model.safetensors`.
public final class ModelCheckpoint: Callback {
    public let directory: URL
    public let everyEpochs: Int
    public let everySteps: Int
    public let monitor: String?
    public let mode: MonitorMode
    public let store: CheckpointStore
    public private(set) var best: Double
    public private(set) var lastSaved: URL?

    public init(directory: URL, everyEpochs: Int = 1, everySteps: Int = 0, monitor: String? = "val_loss",
                mode: MonitorMode = .auto, keep: Int = 2) {
        self.directory = directory
        self.everyEpochs = Swift.max(everyEpochs, 1)
        self.everySteps = everySteps
        self.monitor = monitor
        self.mode = mode.resolved(for: monitor ?? "loss")
        self.store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"), keep: keep)
        self.best = self.mode == .max ? -.infinity : .infinity
    }

    public override var stateKey: String? { "model_checkpoint" }

    public override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        guard everySteps > 0, stepped, trainer.globalStep % everySteps == 0 else { return }
        lastSaved = try store.save(trainer.checkpoint(epoch: epoch, nextBatch: batch + 1))
    }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        if let monitor, let value = logs[monitor], mode.isImprovement(value, over: best, minDelta: 0) {
            best = value
            let bestDir = directory.appendingPathComponent("best")
            try SafeTensors.write(trainer.model.stateDict(), metadata: ["epoch": "\(epoch + 1)", monitor: "\(value)"],
                                  to: bestDir.appendingPathComponent("model.safetensors"))
        }
        if (epoch + 1) % everyEpochs == 0 {
            lastSaved = try store.save(trainer.checkpoint(epoch: epoch + 1, nextBatch: 0))
        }
    }

    public override func checkpointState() -> CallbackState? { CallbackState(values: ["best": best]) }
    public override func restore(_ state: CallbackState) throws { best = state.values["best"] ?? best }
}

extension Callback {
    /// Resumable checkpoints and best weights under `directory`; see ``ModelCheckpoint``.
    public static func checkpoint(to directory: String, everyEpochs: Int = 1, everySteps: Int = 0,
                                  monitor: String? = "val_loss", keep: Int = 2) -> Callback {
        ModelCheckpoint(directory: URL(fileURLWithPath: directory), everyEpochs: everyEpochs, everySteps: everySteps,
                        monitor: monitor, keep: keep)
    }
}
