import Foundation
import TrainKit
import TrainKitCLICore

/// One served model name and the batcher in front of its current version. A reload swaps in a new batcher; the
/// old one finishes its queued requests, and a request that reached the old one as it closed is run on the new
/// one, so no request fails during the swap.
final class ModelSlot: @unchecked Sendable {
    let name: String
    /// Where the model comes from: a run or model directory (re-read when its files change).
    let source: String
    /// The directory of model.json and the weights, whose files are watched.
    private let watched: String
    private let lock = NSLock()
    private var batcher: InferenceBatcher
    private var stamp: Date?
    /// The stamp seen at the last check: a reload waits until the files have stopped changing for one interval.
    private var seen: Date?

    init(name: String, source: String, batcher: InferenceBatcher) {
        self.name = name
        self.source = source
        self.batcher = batcher
        watched = batcher.model.modelDirectory
        stamp = Self.stamp(watched)
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

    /// Whether the model's files changed since it was loaded and have stayed the same since the last check (so
    /// a model being written file by file is not read half-way).
    var changed: Bool {
        lock.lock(); defer { lock.unlock() }
        let now = Self.stamp(watched)
        defer { seen = now }
        return now != stamp && now == seen && now != nil
    }

    /// Puts `next` in front and drains the old batcher.
    func swap(to next: InferenceBatcher) {
        lock.lock()
        let old = batcher
        batcher = next
        stamp = Self.stamp(watched)
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
