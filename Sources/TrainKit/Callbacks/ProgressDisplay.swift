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

/// Progress on standard error: on a terminal a live bar with the step, ETA, throughput and running loss;
/// when standard error is not a terminal (a log file, CI), one plain line per epoch (or every N steps).
///
/// The running loss is read from the device only when a line is written or the bar redrawn (at most ten
/// times a second), not after every batch.
final class ProgressDisplay: Callback {
    let mode: ProgressMode
    let isTerminal: Bool
    private var epochStart = Date()
    private var lastDraw = Date.distantPast
    private var samplesThisEpoch = 0
    private var totalBatches = 0
    private var epochs = 0

    init(mode: ProgressMode) {
        self.mode = mode
        self.isTerminal = isatty(STDERR_FILENO) != 0
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

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
            let width = 24
            let filled = totalBatches > 0 ? width * done / totalBatches : width
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            write(String(format: "\r\u{1B}[2Kepoch %d/%d [%@] %d/%d  ETA %.0fs  %.0f samples/s  loss %.4f",
                         epoch + 1, epochs, bar, done, totalBatches, eta,
                         Double(samplesThisEpoch) / Swift.max(elapsed, 1e-9), loss))
        }
    }

    override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        if mode == .silent { return }
        let seconds = Date().timeIntervalSince(epochStart)
        let metrics = logs.keys.sorted().filter { $0 != "lr" }.map { String(format: "%@ %.4f", $0, logs[$0]!) }
        let line = "epoch \(epoch + 1)/\(epochs)  " + metrics.joined(separator: "  ") + String(format: "  (%.1fs)", seconds)
        write((isTerminal && mode == .automatic ? "\r\u{1B}[2K" : "") + line + "\n")
    }
}
