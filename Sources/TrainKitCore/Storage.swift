/// A buffer of elements on one device, allocated by that device's ``Backend`` (the CPU's from a size-bucketed
/// pool) and returned to it when the last tensor using it is gone.
///
/// Storage is written only while it is being filled by the op that created it, by an optimizer step
/// (which checks it holds the only reference), or by a checkpoint load.
public final class Storage: @unchecked Sendable {
    /// The device address of the first byte (host memory for the CPU and reference backends). Only backends
    /// and the kernels of this package read or write through it.
    package let pointer: UnsafeMutableRawPointer
    public let byteCount: Int
    /// The backend that owns the memory and runs the ops of tensors using it.
    package let backend: any Backend
    /// Where the buffer lives.
    public var device: Device { backend.device }

    /// Whether the buffer came from ``Backend/allocateLongLived(byteCount:)``.
    package let isLongLived: Bool

    /// Allocates uninitialized storage of `byteCount` bytes on `backend`; `longLived` for buffers that last the
    /// whole run (optimizer state), which the CPU backend keeps out of its pool.
    package init(byteCount: Int, backend: any Backend, longLived: Bool = false) {
        self.pointer = longLived ? backend.allocateLongLived(byteCount: byteCount) : backend.allocate(byteCount: byteCount)
        self.byteCount = byteCount
        self.backend = backend
        self.isLongLived = longLived
    }

    deinit {
        if isLongLived {
            backend.deallocateLongLived(pointer, byteCount: byteCount)
        } else {
            backend.deallocate(pointer, byteCount: byteCount)
        }
    }
}

/// Buffer pool statistics of the CPU backend, for tests and benchmarks.
public enum BufferPool {
    /// Bytes cached for reuse, pool hits and misses since the process started.
    public static var statistics: (cachedBytes: Int, hits: Int, misses: Int) { CPUBackend.poolStatistics }
    /// Returns every cached buffer to the system.
    public static func trim() { CPUBackend.trimPool() }
}
