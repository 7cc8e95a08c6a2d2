import Foundation
import TrainKit

/// Writes a run's TensorBoard event file as it trains (PyTorch's `SummaryWriter` in a callback).
///
/// Per epoch, at step `epoch + 1` (the `epoch` of metrics.jsonl): every value of the epoch's logs as a scalar under
/// its own name (`loss`, `lr`, `val_loss`, `val_accuracy`, ...) and the training throughput `samples_per_second`;
/// with `histograms`, the values of every parameter (`weights/NAME`) and its gradient on the epoch's last batch
/// (`gradients/NAME`). At the start, `texts` (the run's config) in the Text tab, and for a tune trial the hparams
/// session start (`hparams`); at the end the session's end. A resumed run (a trainer whose history holds epochs
/// when training starts) first marks a restart at the next epoch, so TensorBoard drops what the interrupted run
/// wrote past its checkpoint.
///
/// A file that cannot be written is reported once through `warn` and the callback stops writing: training goes on.
///
/// ```swift
/// callbacks: [TensorBoardLogger(directory: URL(fileURLWithPath: "runs/mnist/tensorboard"), histograms: true)]
/// ```
public final class TensorBoardLogger: Callback {
    public let directory: URL
    public let histograms: Bool
    /// Markdown texts written at the start (tag → text).
    public var texts: [String: String]
    /// A tune trial's hyperparameter values (the hparams session start); nil for a plain run.
    public var hparams: [String: HParamValue]?
    private let warn: (String) -> Void
    private var writer: EventFileWriter?
    private var failed = false
    private var epochStarted = Date()
    private var samples = 0
    private var capturing = false
    private var gradients: [ObjectIdentifier: Tensor] = [:]
    private var hooks: [HookHandle] = []

    /// - Parameters:
    ///   - warn: receives the one warning when writing fails (default: standard error).
    public init(directory: URL, histograms: Bool = false, texts: [String: String] = [:],
                hparams: [String: HParamValue]? = nil,
                warn: @escaping (String) -> Void = { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) }) {
        self.directory = directory
        self.histograms = histograms
        self.texts = texts
        self.hparams = hparams
        self.warn = warn
    }

    public override func fitStart(_ trainer: Trainer) throws {
        attempt {
            let writer = try EventFileWriter(directory: directory)
            self.writer = writer
            let done = trainer.history.epochs.count
            if done > 0 { try writer.addRestart(atStep: done + 1) }
            for tag in texts.keys.sorted() { try writer.addText(tag, texts[tag]!, step: trainer.history.epochs.count) }
            if let hparams { try HParams.writeSessionStart(to: writer, values: hparams) }
            try writer.flush()
        }
        guard histograms else { return }
        for (_, parameter) in trainer.model.namedParameters {
            hooks.append(parameter.registerPostAccumulateGradHook { [weak self] p in
                guard let self, self.capturing, let grad = p.grad else { return }
                self.gradients[ObjectIdentifier(p)] = grad
            })
        }
    }

    public override func epochStart(_ trainer: Trainer, epoch: Int) throws {
        epochStarted = Date()
        samples = 0
        gradients = [:]
    }

    public override func batchStart(_ trainer: Trainer, epoch: Int, batch: Int) throws {
        capturing = histograms && batch + 1 == trainer.batchesPerEpoch
    }

    public override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        samples += trainer.lastBatchSize
        capturing = false
    }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        let step = epoch + 1
        let seconds = Date().timeIntervalSince(epochStarted)
        attempt {
            guard let writer else { return }
            var scalars = logs.filter { $0.value.isFinite }
            if seconds > 0 && samples > 0 { scalars["samples_per_second"] = Double(samples) / seconds }
            try writer.addScalars(scalars, step: step)
            if histograms {
                for (name, parameter) in trainer.model.namedParameters {
                    try writer.addHistogram("weights/\(name)", values: parameter.value.toArray(), step: step)
                    if let grad = gradients[ObjectIdentifier(parameter)] {
                        try writer.addHistogram("gradients/\(name)", values: grad.toArray(), step: step)
                    }
                }
            }
            try writer.flush()
        }
        gradients = [:]
    }

    public override func fitEnd(_ trainer: Trainer) throws {
        for hook in hooks { hook.remove() }
        hooks = []
        attempt {
            guard let writer else { return }
            if hparams != nil { try HParams.writeSessionEnd(to: writer, succeeded: true) }
            try writer.close()
        }
        writer = nil
    }

    /// Runs `body` unless an earlier write failed; a failure warns once and stops further writes.
    private func attempt(_ body: () throws -> Void) {
        guard !failed else { return }
        do { try body() } catch {
            failed = true
            writer = nil
            warn("TensorBoard: \(error); training goes on without event files")
        }
    }
}
