import TrainKitCore

/// How gradients are grouped for all-reduce (PyTorch DDP's buckets): parameters in reverse order (the order
/// backward finishes them), a new bucket whenever the next parameter would take the bucket past `capacity`
/// bytes or has another dtype. A parameter larger than `capacity` gets a bucket of its own.
///
/// ```swift
/// GradientBuckets.assign(sizes: [100, 100, 4], dtypes: [.float32, .float32, .float32], capacity: 600)
/// // [[2, 1], [0]]: bucket 0 holds parameters 2 and 1 (416 bytes), bucket 1 parameter 0
/// ```
public enum GradientBuckets {
    /// Default bucket size, PyTorch DDP's `bucket_cap_mb = 25`.
    public static let defaultCapacity = 25 * 1024 * 1024

    /// Parameter indices per bucket, in the order the buckets are reduced.
    /// - Parameters:
    ///   - sizes: elements per parameter, in the optimizer's order.
    ///   - dtypes: each parameter's dtype.
    public static func assign(sizes: [Int], dtypes: [DType], capacity: Int = defaultCapacity) -> [[Int]] {
        precondition(sizes.count == dtypes.count, "GradientBuckets: \(sizes.count) sizes but \(dtypes.count) dtypes")
        var buckets: [[Int]] = []
        var current: [Int] = [], bytes = 0
        for i in sizes.indices.reversed() {
            let size = sizes[i] * dtypes[i].byteSize
            let sameType = current.first.map { dtypes[$0] == dtypes[i] } ?? true
            if !current.isEmpty && (bytes + size > capacity || !sameType) {
                buckets.append(current)
                current = []
                bytes = 0
            }
            current.append(i)
            bytes += size
        }
        if !current.isEmpty { buckets.append(current) }
        return buckets
    }
}
