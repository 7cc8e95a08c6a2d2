import Foundation
import TrainKitCore

/// The handle an objective gets for one trial of a ``Study``: its parameters, its own random seed, and
/// ``report(epoch:value:)`` for intermediate scores (which the study's pruner may answer with "stop").
///
/// The study seeds the running thread's global random stream with ``seed`` before calling the objective,
/// so initializers and dropout draw from this trial's stream; use ``key`` for explicit keys.
///
/// ```swift
/// let result = try study.optimize(trials: 20, parallel: 2) { trial in
///     let model = makeModel(hidden: trial.int("model.width"))
///     let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: trial.double("lr")),
///                           metrics: [.accuracy], callbacks: [trial.reporter(monitor: "val_accuracy")],
///                           seed: trial.seed, progress: .silent)
///     try trainer.fit(train, validation: validation, epochs: 9)
///     return trainer.history.last ?? [:]   // loss, val_loss, val_accuracy of the last epoch run
/// }
/// ```
public final class Trial: @unchecked Sendable {
    /// The trial's number in the study (0, 1, 2, …).
    public let number: Int
    /// One value per path of the study's space.
    public let params: [String: ParameterValue]
    /// This trial's seed (a function of the study seed and ``number``).
    public let seed: UInt64
    /// The interrupted trial whose parameters this one repeats.
    public let retryOf: Int?
    private weak var study: Study?
    private let lock = NSLock()
    private var pruned = false
    private var lastReport: (epoch: Int, value: Double)?

    init(number: Int, params: [String: ParameterValue], seed: UInt64, retryOf: Int?, study: Study?) {
        self.number = number
        self.params = params
        self.seed = seed
        self.retryOf = retryOf
        self.study = study
    }

    /// A key derived from ``seed``, for explicit randomness.
    public var key: RandomKey { RandomKey(seed: seed) }

    /// Whether the pruner has told this trial to stop.
    public var isPruned: Bool { lock.withLock { pruned } }

    /// The last value reported, if any.
    public var lastReported: (epoch: Int, value: Double)? { lock.withLock { lastReport } }

    /// Records the validation score after `epoch` (0-based) in the study journal and asks the pruner.
    /// - Returns: true when the trial should stop (it is then recorded as pruned with its last value).
    @discardableResult
    public func report(epoch: Int, value: Double) -> Bool {
        lock.withLock { lastReport = (epoch, value) }
        let stop = study?.report(trial: number, epoch: epoch, value: value) ?? false
        if stop { lock.withLock { pruned = true } }
        return stop
    }

    /// A trainer callback that reports `logs[monitor]` after every epoch and stops training when told to.
    public func reporter(monitor: String) -> Callback { TrialReporter(trial: self, monitor: monitor) }

    // MARK: - Typed parameters

    /// The value at `path`.
    public subscript(path: String) -> ParameterValue? { params[path] }

    /// The number at `path` (precondition: the space has a numeric parameter there).
    public func double(_ path: String) -> Double {
        guard let v = params[path]?.doubleValue else {
            preconditionFailure("Trial: no numeric parameter '\(path)' in \(params.keys.sorted())")
        }
        return v
    }

    /// The integer at `path` (precondition: the space has an int parameter there).
    public func int(_ path: String) -> Int {
        guard let v = params[path]?.intValue else {
            preconditionFailure("Trial: no integer parameter '\(path)' in \(params.keys.sorted())")
        }
        return v
    }

    /// The string at `path` (precondition: the space has a string choice there).
    public func string(_ path: String) -> String {
        guard let v = params[path]?.stringValue else {
            preconditionFailure("Trial: no string parameter '\(path)' in \(params.keys.sorted())")
        }
        return v
    }

    /// `base` with this trial's parameters written at their dotted paths (``SearchSpace/apply(_:to:)``).
    public func configuration(base: [String: Any]) -> [String: Any] { SearchSpace.apply(params, to: base) }
}

/// Thrown by an objective to end its trial as pruned (an alternative to returning after ``Trial/report(epoch:value:)``
/// said stop).
public struct TrialPruned: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "trial pruned" }
}

/// Reports a monitored metric to a ``Trial`` at every epoch end and sets `trainer.stopTraining` when the
/// pruner says stop. The monitor's direction should be the study's (report `val_accuracy` to a maximizing
/// study, `val_loss` to a minimizing one).
public final class TrialReporter: Callback {
    /// The trial reported to.
    public let trial: Trial
    /// The epoch-log key reported (`val_accuracy`, `val_loss`).
    public let monitor: String

    public init(trial: Trial, monitor: String) {
        self.trial = trial
        self.monitor = monitor
    }

    override public func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        guard let value = logs[monitor] else {
            throw SelectionError.invalidArgument(
                "TrialReporter: no '\(monitor)' in the epoch logs (have: \(logs.keys.sorted().joined(separator: ", ")))"
            )
        }
        if trial.report(epoch: epoch, value: value) { trainer.stopTraining = true }
    }
}
