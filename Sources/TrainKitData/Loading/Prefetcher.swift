import Foundation

/// Builds the batches of an index range on background threads, at most `capacity` ahead of the
/// consumer (a bounded queue), and hands them out in order. Dropping the last reference stops the
/// threads once each finishes the batch it is building.
final class Prefetcher<Output: Sendable>: Sendable {
    private let state: State

    init(range: Range<Int>, capacity: Int, workers: Int, build: @escaping @Sendable (Int) -> Output) {
        precondition(capacity >= 1, "Prefetcher: capacity must be >= 1, got \(capacity)")
        let state = State(range: range, capacity: capacity)
        self.state = state
        for _ in 0..<min(workers, max(range.count, 1)) {
            let thread = Thread { state.work(build) }
            thread.name = "TrainKitData.prefetch"
            thread.start()
        }
    }

    deinit { state.cancel() }

    /// Batch `index`, waiting until a worker has built it. Indices must be taken in order.
    func take(_ index: Int) -> Output { state.take(index) }

    /// Shared between the consumer and the workers; every field is guarded by `condition`.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        let end: Int
        let capacity: Int
        var nextToBuild: Int
        var nextToTake: Int
        var ready = [Int: Output]()
        var cancelled = false

        init(range: Range<Int>, capacity: Int) {
            self.end = range.upperBound
            self.capacity = capacity
            self.nextToBuild = range.lowerBound
            self.nextToTake = range.lowerBound
        }

        func work(_ build: (Int) -> Output) {
            condition.lock()
            while true {
                while !cancelled && nextToBuild < end && nextToBuild - nextToTake >= capacity { condition.wait() }
                if cancelled || nextToBuild >= end { break }
                let index = nextToBuild
                nextToBuild += 1
                condition.unlock()
                let output = build(index)
                condition.lock()
                ready[index] = output
                condition.broadcast()
            }
            condition.unlock()
        }

        func take(_ index: Int) -> Output {
            condition.lock()
            defer { condition.unlock() }
            precondition(index == nextToTake, "Prefetcher: batch \(index) taken out of order (expected \(nextToTake))")
            while ready[index] == nil { condition.wait() }
            let output = ready.removeValue(forKey: index)!
            nextToTake += 1
            condition.broadcast()
            return output
        }

        func cancel() {
            condition.lock()
            cancelled = true
            ready.removeAll()
            condition.broadcast()
            condition.unlock()
        }
    }
}
