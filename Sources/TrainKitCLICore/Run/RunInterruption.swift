import Foundation
import Synchronization
import TrainKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT and SIGTERM during `trainkit train`: the first one asks the run to stop after the current optimizer
/// step, write a checkpoint and exit (130 for SIGINT, 143 for SIGTERM) with a message saying how to resume; a
/// second one ends the process at once, as the signal would without TrainKit (checkpoints already written stay
/// whole: every write is atomic).
enum RunInterruption {
    /// The signal received since ``install()``, or 0.
    static let received = Atomic<Int32>(0)

    /// Routes SIGINT and SIGTERM to the stop request, and unblocks them on this thread (a parent that spawned
    /// `trainkit` from a thread blocking them, as dispatch worker threads do, passes its mask on).
    static func install() {
        received.store(0, ordering: .sequentiallyConsistent)
        signal(SIGINT, requestStop)
        signal(SIGTERM, requestStop)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Restores the default actions.
    static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        received.store(0, ordering: .sequentiallyConsistent)
    }

    /// The pending signal, if one arrived.
    static var pending: Int32? {
        let signal = received.load(ordering: .sequentiallyConsistent)
        return signal == 0 ? nil : signal
    }

    static func name(_ signal: Int32) -> String { signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)" }
}

/// The signal handler: only async-signal-safe calls (an atomic exchange, `write`, `signal`, `raise`).
private func requestStop(_ number: Int32) {
    if RunInterruption.received.exchange(number, ordering: .sequentiallyConsistent) != 0 {
        signal(number, SIG_DFL)
        raise(number)
        return
    }
    let message: StaticString = "\ntrainkit: stopping after this step to write a checkpoint (send the signal again to stop at once)\n"
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
}

/// The run stopped on a signal: after writing a checkpoint to continue from, or before training started
/// (nothing in the run directory changed).
struct RunInterrupted: Error, CustomStringConvertible {
    var signal: Int32
    /// Where training stopped (0-based epoch and batch) and the checkpoint written there; nil before training.
    var stopped: (epoch: Int, batch: Int, checkpoint: URL)?
    var runDirectory: URL

    /// The exit status a shell reports for a process ended by `signal`: 128 + its number.
    var exitStatus: Int32 { 128 + signal }

    var description: String {
        guard let stopped else {
            return "interrupted by \(RunInterruption.name(signal)) before training started; \(runDirectory.path) is unchanged"
        }
        return "interrupted by \(RunInterruption.name(signal)) at epoch \(stopped.epoch + 1), batch \(stopped.batch + 1): "
            + "checkpoint \(stopped.checkpoint.path) written; continue with: trainkit train CONFIG --resume \(runDirectory.path)"
    }
}

/// Checks for a stop request after each optimizer step; on one, saves a checkpoint to continue at the next
/// batch and ends `fit` by throwing ``RunInterrupted``.
final class InterruptionCheckpoint: Callback {
    let store: CheckpointStore
    let runDirectory: URL

    init(store: CheckpointStore, runDirectory: URL) {
        self.store = store
        self.runDirectory = runDirectory
    }

    override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        guard stepped, let signal = RunInterruption.pending else { return }
        let url = try store.save(trainer.checkpoint(epoch: epoch, nextBatch: batch + 1))
        throw RunInterrupted(signal: signal, stopped: (epoch, batch, url), runDirectory: runDirectory)
    }
}
