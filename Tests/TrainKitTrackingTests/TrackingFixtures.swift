import Foundation
import TrainKit

/// Three Gaussian blobs in 4-d (seeded): an easy classification set to train the callbacks on.
func blobs(count: Int, seed: UInt64) -> TensorDataset {
    let keys = RandomKey(seed: seed).split(2)
    let labels = (0..<count).map { Int64($0 % 3) }
    let noise = Tensor.normal([count, 4], std: 0.6, key: keys[0]).toArray()
    let centers: [[Float]] = [[2, 0, 0, 1], [-2, 1, 0, 0], [0, -2, 2, -1]]
    var features = [Float](repeating: 0, count: count * 4)
    for i in 0..<count { for j in 0..<4 { features[i * 4 + j] = centers[Int(labels[i])][j] + noise[i * 4 + j] } }
    return TensorDataset(features: Tensor(features, shape: [count, 4]), labels: Tensor(labels, shape: [count]))
}

func smallModel(seed: UInt64) -> Sequential {
    Random.seed(seed)
    return Sequential {
        Linear(4, 8)
        ReLU()
        Linear(8, 3)
    }
}

func temporaryDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("trainkit-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Collects warning lines from several threads.
final class WarningLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }
}
