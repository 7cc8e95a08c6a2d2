import TrainKitCore

/// Averages gradients over the ranks while backward runs (PyTorch DDP's reducer).
///
/// Registers a post-accumulate-grad hook on every parameter. After ``arm()``, each hook marks its parameter
/// ready; a bucket (``GradientBuckets``) is all-reduced as soon as all of its parameters are ready and every
/// earlier bucket is done, so the buckets go out in the same order on every rank, and the last layers' gradients
/// travel while the first layers' are still being computed. ``finish()`` reduces whatever backward did not
/// reach (a parameter unused in this step gets zeros from this rank) and disarms. Unarmed backwards (the
/// accumulation steps before an optimizer step) reduce nothing, as DDP's `no_sync`.
///
/// Each bucket's gradients are copied into one host buffer, summed in place with one all-reduce, divided by
/// the world size and written back as each parameter's `grad`.
public final class GradientReducer {
    public let group: any ProcessGroup
    public let parameters: [Parameter]
    /// Parameter indices per bucket, in reduce order.
    public let buckets: [[Int]]
    private let bucketOf: [Int]
    private var missing: [Int]
    private var nextBucket = 0
    private var handles: [HookHandle] = []
    public private(set) var isArmed = false

    public init(parameters: [Parameter], group: any ProcessGroup, bucketCapacity: Int = GradientBuckets.defaultCapacity) {
        self.group = group
        self.parameters = parameters
        buckets = GradientBuckets.assign(sizes: parameters.map(\.count), dtypes: parameters.map { $0.value.dtype },
                                         capacity: bucketCapacity)
        var bucketOf = [Int](repeating: 0, count: parameters.count)
        for (b, members) in buckets.enumerated() { for i in members { bucketOf[i] = b } }
        self.bucketOf = bucketOf
        missing = buckets.map(\.count)
        for (i, p) in parameters.enumerated() {
            handles.append(p.registerPostAccumulateGradHook { [unowned self] _ in self.ready(i) })
        }
    }

    deinit { for h in handles { h.remove() } }

    /// Removes the hooks.
    public func remove() {
        for h in handles { h.remove() }
        handles = []
    }

    /// The next backward's gradients are reduced.
    public func arm() {
        missing = buckets.map(\.count)
        nextBucket = 0
        isArmed = true
    }

    private func ready(_ index: Int) {
        guard isArmed else { return }
        missing[bucketOf[index]] -= 1
        while nextBucket < buckets.count && missing[nextBucket] == 0 {
            reduce(bucket: nextBucket)
            nextBucket += 1
        }
    }

    /// Reduces the buckets backward left (unused parameters) and disarms.
    public func finish() {
        guard isArmed else { return }
        while nextBucket < buckets.count {
            reduce(bucket: nextBucket)
            nextBucket += 1
        }
        isArmed = false
    }

    private func reduce(bucket b: Int) {
        let members = buckets[b].map { parameters[$0] }
        if members[0].value.dtype == .float64 {
            reduce(members, as: Double.self) { group.allReduceSum($0) }
        } else {
            reduce(members, as: Float.self) { group.allReduceSum($0) }
        }
    }

    private func reduce<T: TensorScalar & BinaryFloatingPoint>(
        _ members: [Parameter], as _: T.Type, _ allReduce: (UnsafeMutableBufferPointer<T>) -> Void
    ) {
        let total = members.reduce(0) { $0 + $1.count }
        var buffer = [T](repeating: 0, count: total)
        buffer.withUnsafeMutableBufferPointer { flat in
            var offset = 0
            for p in members {
                if let g = p.grad {
                    g.withUnsafeBufferPointer(as: T.self) { src in
                        _ = UnsafeMutableBufferPointer(rebasing: flat[offset..<(offset + src.count)]).initialize(from: src)
                    }
                }
                offset += p.count
            }
            allReduce(flat)
            let scale = T(1) / T(group.worldSize)
            offset = 0
            for p in members {
                let n = p.count, start = offset
                p.grad = Tensor.make(shape: p.shape, as: T.self) { out in
                    for k in 0..<n { out[k] = flat[start + k] * scale }
                }
                offset += n
            }
        }
    }
}
