import Foundation
import TrainKit

/// Prepared data shared by tune trials whose configs read and split the data the same way, so a study reads
/// the file once instead of once per trial. The key is everything ``PreparedData/prepare(_:rows:)`` depends
/// on: the `data` section, the model kind (tabular embeds categories, mlp flattens images), the task and the
/// seed. Thread-safe (parallel trials).
final class PreparedDataCache: @unchecked Sendable {
    private struct Key: Equatable {
        var data: DataConfig
        var kind: ModelKind
        var task: TaskKind?
        var seed: UInt64
    }

    private let lock = NSLock()
    private var entries: [(key: Key, data: PreparedData)] = []

    /// The data of `config`, prepared on first use; every trial's `model.channels` is checked against the images
    /// (``ImageGeometry``), since the key leaves the channels out.
    func data(for config: RunConfig) throws -> PreparedData {
        let key = Key(data: config.data, kind: config.model.kind, task: config.training.task, seed: config.seed)
        lock.lock()
        defer { lock.unlock() }
        if let hit = entries.first(where: { $0.key == key }) {
            try ImageGeometry.check(config, images: hit.data.preprocessing.images)
            return hit.data
        }
        let data = try PreparedData.prepare(config)
        entries.append((key, data))
        return data
    }
}
