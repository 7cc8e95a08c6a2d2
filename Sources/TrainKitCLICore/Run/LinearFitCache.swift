import Foundation

/// The fits of ``LinearFit`` already made in this process, keyed by everything they depend on (the rows, the
/// targets, the class count, the seed and the fold count), so that `tune` trials and repeated runs on the same
/// prepared data fit the linear start once. The key holds the arrays themselves (compared in full), so a hit
/// is always the same problem. Thread-safe; at most ``capacity`` entries (the oldest goes first).
final class LinearFitCache: @unchecked Sendable {
    static let shared = LinearFitCache()
    static let capacity = 8

    private struct Key: Hashable {
        var x: [Double], y: [Double], rows: Int, features: Int, classes: Int?, seed: UInt64, folds: Int
    }
    private let lock = NSLock()
    private var entries: [(Key, LinearFit.Fitted)] = []

    func fit(_ fitter: LinearFit, x: [Double], rows: Int, features: Int, y: [Double], classes: Int?) -> LinearFit.Fitted {
        let key = Key(x: x, y: y, rows: rows, features: features, classes: classes, seed: fitter.seed, folds: fitter.folds)
        if let hit = lock.withLock({ entries.first { $0.0 == key }?.1 }) { return hit }
        let fitted = fitter.fit(x: x, rows: rows, features: features, y: y, classes: classes)
        lock.withLock {
            entries.append((key, fitted))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
        return fitted
    }
}
