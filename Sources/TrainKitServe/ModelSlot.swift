import Foundation
import TrainKit
import TrainKitCLICore

/// One served model name and the batcher in front of its current version. A reload swaps in a new batcher; the
/// old one finishes its queued requests, and a request that reached the old one as it closed is run on the new
/// one, so no request fails during the swap.
final class ModelSlot: @unchecked Sendable {
    let name: String
    let source: ModelSource
    private let lock = NSLock()
    private var batcher: InferenceBatcher
    /// The loaded model's file stamp, and the stamp seen at the last check: a reload of changed files waits until
    /// they have stopped changing for one interval, so a model being written file by file is not read half-way.
    private var stamp: Date?
    private var seen: Date?

    init(name: String, source: ModelSource, batcher: InferenceBatcher) {
        self.name = name
        self.source = source
        self.batcher = batcher
        stamp = Self.stamp(batcher.model.modelDirectory)
    }

    var current: InferenceBatcher {
        lock.lock(); defer { lock.unlock() }
        return batcher
    }

    /// Runs `rows` on the current version (again on the new one when a swap closed the old one meanwhile).
    func infer(_ rows: DataTable) async throws -> [InferenceOutput] {
        var used = current
        while true {
            do {
                return try await used.infer(rows)
            } catch let error as InferenceError where error.status == 503 {
                let now = current
                guard now !== used else { throw error }
                used = now
            }
        }
    }

    /// What to load when the source names another model than the one served (a registry alias moved), or when
    /// the served model's files changed and have settled; nil when nothing changed.
    func pendingReload() throws -> (path: String, version: String)? {
        let resolved = try source.resolve()
        lock.lock(); defer { lock.unlock() }
        if resolved.path != batcher.model.path { return resolved }
        let now = Self.stamp(batcher.model.modelDirectory)
        defer { seen = now }
        return now != stamp && now == seen && now != nil ? resolved : nil
    }

    /// Puts `next` in front and drains the old batcher.
    func swap(to next: InferenceBatcher) {
        lock.lock()
        let old = batcher
        batcher = next
        stamp = Self.stamp(next.model.modelDirectory)
        seen = stamp
        lock.unlock()
        old.shutdown()
    }

    /// The newest modification time of the model's files (model.json and the weights beside it).
    static func stamp(_ directory: String) -> Date? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") || $0.hasSuffix(".safetensors") }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent($0))[.modificationDate] as? Date }
            .max()
    }
}
