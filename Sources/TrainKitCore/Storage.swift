import CTrainKitKernels

/// A buffer of elements on one device. Buffers come from the kernel layer's pool and go back to it when
/// the last tensor using them is gone.
///
/// Storage is written only while it is being filled by the op that created it, by an optimizer step
/// (which checks it holds the only reference), or by a checkpoint load.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int
    public let device: Device

    /// Allocates uninitialized storage of `byteCount` bytes from the pool.
    public init(byteCount: Int, device: Device = .cpu) {
        guard let p = tk_pool_alloc(Int64(byteCount)) else {
            fatalError("TrainKit: out of memory allocating \(byteCount) bytes")
        }
        self.pointer = p
        self.byteCount = byteCount
        self.device = device
    }

    deinit { tk_pool_free(pointer, Int64(byteCount)) }

    @inlinable func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> { pointer.assumingMemoryBound(to: T.self) }
}

/// Buffer pool statistics, for tests and benchmarks.
public enum BufferPool {
    /// Bytes cached for reuse, pool hits and misses since the process started.
    public static var statistics: (cachedBytes: Int, hits: Int, misses: Int) {
        var c: Int64 = 0, h: Int64 = 0, m: Int64 = 0
        tk_pool_stats(&c, &h, &m)
        return (Int(c), Int(h), Int(m))
    }
    /// Returns every cached buffer to the system.
    public static func trim() { tk_pool_trim() }
}
