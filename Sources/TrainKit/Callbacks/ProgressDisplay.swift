import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a ``Trainer`` reports progress on standard error.
public enum ProgressMode: Sendable, Equatable {
    /// A live bar on a terminal; one line per epoch otherwise.
    case automatic
    /// One plain line per epoch, and one every `everySteps` optimizer steps when > 0.
    case lines(everySteps: Int)
    /// Nothing.
    case silent
}

/// Progress on standard error: on a terminal a live bar with the step, ETA, throughput and running loss,
/// fitted to the terminal's width (``ProgressLine``); when standard error is not a terminal (a log file, CI),
/// no bar, one plain line per epoch (or every N steps). When early stopping ends the run, a last line says at
/// which epoch and which epoch's weights the model keeps.
///
/// The running loss is read from the device only when a line is written or the bar redrawn (at most ten
/// times a second), not after every batch.
final class ProgressDisplay: Callback {
    let mode: ProgressMode
    let isTerminal: Bool
    /// The terminal's width, asked before each redraw (so a resized window is followed).
    let columns: () -> Int
    private let output: (String) -> Void
    private var epochStart = Date()
    private var lastDraw = Date.distantPast
    private var samplesThisEpoch = 0
    private var totalBatches = 0
    private var epochs = 0

    /// - Parameters:
    ///   - isTerminal: whether to draw the live bar; nil asks whether standard error is a terminal.
    ///   - columns: the width to fit the bar to; nil reads the terminal's (``ProgressLine/terminalColumns()``).
    ///   - output: where the text goes; nil writes to standard error.
    init(mode: ProgressMode, isTerminal: Bool? = nil, columns: (() -> Int)? = nil,
         output: ((String) -> Void)? = nil) {
        self.mode = mode
        self.isTerminal = isTerminal ?? (isatty(STDERR_FILENO) != 0)
        self.columns = columns ?? ProgressLine.terminalColumns
        self.output = output ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    private func write(_ s: String) { output(s) }

    override func fitStart(_ trainer: Trainer) throws {
        totalBatches = trainer.batchesPerEpoch
        epochs = trainer.plannedEpochs
    }

    override func epochStart(_ trainer: Trainer, epoch: Int) throws {
        epochStart = Date()
        samplesThisEpoch = 0
    }

    override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        samplesThisEpoch += trainer.lastBatchSize
        switch mode {
        case .silent: return
        case .lines(let every):
            if every > 0 && stepped && trainer.globalStep % every == 0 {
                let loss = try logs["loss"] ?? trainer.runningLoss()
                write(String(format: "epoch %d step %d loss %.4f\n", epoch + 1, trainer.globalStep, loss))
            }
        case .automatic:
            guard isTerminal else { return }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) > 0.1 || batch + 1 == totalBatches else { return }
            lastDraw = now
            let loss = try logs["loss"] ?? trainer.runningLoss()
            let elapsed = now.timeIntervalSince(epochStart)
            let done = batch + 1
            let eta = elapsed / Double(done) * Double(Swift.max(totalBatches - done, 0))
            let state = ProgressLine.State(epoch: epoch + 1, epochs: epochs, done: done, total: totalBatches, eta: eta,
                                           samplesPerSecond: Double(samplesThisEpoch) / Swift.max(elapsed, 1e-9),
                                           loss: loss)
            write("\r\u{1B}[2K" + ProgressLine.text(state, columns: columns()))
        }
    }

    override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        if mode == .silent { return }
        let seconds = Date().timeIntervalSince(epochStart)
        let metrics = logs.keys.sorted().filter { $0 != "lr" }.map { String(format: "%@ %.4f", $0, logs[$0]!) }
        let line = "epoch \(epoch + 1)/\(epochs)  " + metrics.joined(separator: "  ") + String(format: "  (%.1fs)", seconds)
        write((isTerminal && mode == .automatic ? "\r\u{1B}[2K" : "") + line + "\n")
    }

    override func fitEnd(_ trainer: Trainer) throws {
        if mode == .silent { return }
        for case let stopping as EarlyStopping in trainer.callbacks {
            if let line = Self.earlyStoppingLine(stopping) { write(line + "\n") }
        }
    }

    /// What early stopping did, once it has fired: "early stopping at epoch 15 (val_loss did not improve for
    /// 5 epochs); weights kept from epoch 10 (best val_loss 0.4100)"; nil while it has not.
    static func earlyStoppingLine(_ stopping: EarlyStopping) -> String? {
        guard let stopped = stopping.stoppedEpoch else { return nil }
        let epochs = stopping.patience == 1 ? "1 epoch" : "\(stopping.patience) epochs"
        var line = "early stopping at epoch \(stopped + 1) (\(stopping.monitor) did not improve for \(epochs)); "
        if stopping.restoreBestWeights && stopping.bestEpoch >= 0 {
            line += String(format: "weights kept from epoch %d (best %@ %.4f)", stopping.bestEpoch + 1,
                           stopping.monitor, stopping.best)
        } else {
            line += "weights kept from epoch \(stopped + 1), the last (restoring the best weights is off)"
        }
        return line
    }
}
