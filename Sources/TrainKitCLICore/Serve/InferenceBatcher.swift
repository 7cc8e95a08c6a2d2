import Foundation
import TrainKit

/// Dynamic batching in front of one ``ServedModel``: requests wait in a bounded queue; one worker thread takes
/// as many as fit in `maxBatch` rows (waiting up to `maxDelay` for more when fewer are queued), runs the model
/// once on their rows together, and hands each request its own rows of the outputs.
///
/// A full queue answers at once with 503 (the caller sends `Retry-After`); a request that waited longer than
/// `timeout` gets 504 instead of running; ``shutdown()`` lets the queued requests finish, then stops the worker.
/// When a batch fails, its requests run one by one, so one bad request never fails its neighbours.
public final class InferenceBatcher: @unchecked Sendable {
    public struct Options: Sendable {
        /// The most rows one model call takes (a single larger request still runs, alone).
        public var maxBatch = 64
        /// How long the worker waits for more requests when it has fewer than `maxBatch` rows (0: run what is queued).
        public var maxDelay: Duration = .zero
        /// The most requests waiting; one more is refused with 503.
        public var maxQueue = 1024
        /// The longest a request may wait before running; it is answered 504 after that.
        public var timeout: Duration = .seconds(30)
        public init() {}
    }

    /// A model call: its rows and how many requests it served.
    public typealias BatchObserver = @Sendable (_ rows: Int, _ requests: Int, _ seconds: Double) -> Void

    public let model: ServedModel
    public let options: Options
    private let observer: BatchObserver?
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var stopping = false
    private var stopped = false

    private struct Pending {
        var rows: DataTable
        var enqueued: ContinuousClock.Instant
        var resume: @Sendable (Result<[InferenceOutput], any Error>) -> Void
    }

    public init(model: ServedModel, options: Options = Options(), observer: BatchObserver? = nil) {
        self.model = model
        self.options = options
        self.observer = observer
        let thread = Thread { [self] in work() }
        thread.name = "trainkit-serve-\(model.name)"
        thread.start()
    }

    /// Requests waiting now.
    public var queueDepth: Int {
        condition.lock(); defer { condition.unlock() }
        return queue.count
    }

    /// The outputs for `rows`, all rows first.
    public func infer(_ rows: DataTable) async throws -> [InferenceOutput] {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try enqueue(rows) { continuation.resume(with: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Queues `rows`; `resume` is called once, on the worker thread, with the outputs or the error.
    public func enqueue(_ rows: DataTable, resume: @escaping @Sendable (Result<[InferenceOutput], any Error>) -> Void) throws(InferenceError) {
        condition.lock(); defer { condition.unlock() }
        guard !stopping else { throw .unavailable("the server is shutting down") }
        guard queue.count < options.maxQueue else {
            throw .unavailable("the queue of model '\(model.name)' is full (\(options.maxQueue) requests); retry later")
        }
        queue.append(Pending(rows: rows, enqueued: .now, resume: resume))
        condition.signal()
    }

    /// Stops taking requests, lets the queued ones finish and waits for the worker to end.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while let batch = nextBatch() { run(batch) }
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for requests and takes up to `maxBatch` rows of them; nil when stopping with nothing queued.
    private func nextBatch() -> [Pending]? {
        condition.lock(); defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        if queue.isEmpty { return nil }
        if options.maxDelay > .zero {
            let until = queue[0].enqueued + options.maxDelay
            while !stopping, queue.reduce(0, { $0 + $1.rows.rowCount }) < options.maxBatch, ContinuousClock.now < until {
                let left = ContinuousClock.now.duration(to: until)
                let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) * 1e-18
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(seconds, 0)))
            }
        }
        var taken = 1, rows = queue[0].rows.rowCount
        while taken < queue.count, rows + queue[taken].rows.rowCount <= options.maxBatch {
            rows += queue[taken].rows.rowCount
            taken += 1
        }
        let batch = Array(queue.prefix(taken))
        queue.removeFirst(taken)
        return batch
    }

    private func run(_ batch: [Pending]) {
        let now = ContinuousClock.now
        var live: [Pending] = []
        for pending in batch {
            if pending.enqueued.duration(to: now) > options.timeout {
                pending.resume(.failure(InferenceError.timedOut("the request waited longer than the timeout (\(options.timeout)) for model '\(model.name)'")))
            } else {
                live.append(pending)
            }
        }
        guard !live.isEmpty else { return }
        let start = ContinuousClock.now
        do {
            let rows = live.count == 1 ? live[0].rows : Self.concatenate(live.map(\.rows))
            let outputs = try model.predict(rows)
            observe(rows: rows.rowCount, requests: live.count, since: start)
            var first = 0
            for pending in live {
                let range = first..<(first + pending.rows.rowCount)
                pending.resume(.success(outputs.map { $0.rows(range) }))
                first = range.upperBound
            }
        } catch where live.count > 1 {
            for pending in live { run([pending]) }
        } catch {
            pending(live[0], failedWith: error)
        }
    }

    private func pending(_ p: Pending, failedWith error: any Error) {
        p.resume(.failure(error as? InferenceError ?? InferenceError.badRequest("\(error)")))
    }

    private func observe(rows: Int, requests: Int, since start: ContinuousClock.Instant) {
        guard let observer else { return }
        let d = start.duration(to: .now)
        observer(rows, requests, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// The tables' rows one after another (same columns, same types).
    static func concatenate(_ tables: [DataTable]) -> DataTable {
        let first = tables[0]
        let columns = first.columns.indices.map { j -> Column in
            switch first.columns[j] {
            case .numeric: .numeric(tables.flatMap { $0.columns[j].numbers ?? [] })
            case .string: .string(tables.flatMap { $0.columns[j].strings ?? [] })
            }
        }
        return DataTable(columnNames: first.columnNames, columns: columns, source: first.source)
    }
}
