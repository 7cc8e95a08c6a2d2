import TrainKitCore

/// Seeded test data: `perCluster` points around each of `centers` with standard deviation `spread`.
func blobs(_ centers: [[Double]], perCluster: Int, spread: Double, seed: UInt64, dtype: DType = .float64)
    -> (x: Tensor, labels: [Int])
{
    let d = centers[0].count
    let noise = Tensor.normal([centers.count * perCluster, d], key: RandomKey(seed: seed), dtype: .float64)
        .toArray(as: Double.self)
    var values: [Double] = []
    var labels: [Int] = []
    for (c, center) in centers.enumerated() {
        for i in 0..<perCluster {
            let row = c * perCluster + i
            values += (0..<d).map { center[$0] + spread * noise[row * d + $0] }
            labels.append(c)
        }
    }
    let x = Tensor(values, shape: [values.count / d, d])
    return (dtype == .float64 ? x : x.to(dtype), labels)
}

/// Whether two labelings are the same partition (equal up to renaming the clusters).
func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
    guard a.count == b.count else { return false }
    var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        if let m = forward[x], m != y { return false }
        if let m = backward[y], m != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}
