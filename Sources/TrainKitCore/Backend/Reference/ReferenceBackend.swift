/// The reference backend: every primitive of ``Backend`` as one short loop in plain Swift, with no SIMD, no
/// threads and no C kernels. It is slow on purpose and is the oracle every fast backend is tested against
/// (STYLE.md Rule 3; `BackendParityTests` runs each primitive here and on ``CPUBackend`` on the same inputs).
/// `TRAINKIT_BACKEND=reference` runs a whole process on it.
///
/// Numerics follow the C kernels' definitions (`CTrainKitKernels/elementwise_impl.inc`, `index.c`,
/// `conv_impl.inc`) computed the natural way: float32 math in `Float` with the C library's `expf`, `tanhf`,
/// `erff`, ... (where the CPU uses the faster approximations of `fast_math.h`), float64 in `Double`. Sums of
/// many terms (reductions, softmax normalizers, GEMM dot products) are accumulated in `Double` in index order
/// and rounded once, so they are at least as accurate as any fast kernel's.
///
/// It offers no fused kernels: ops use their compositions of primitives here, which is how the composed
/// fallbacks are tested.
package final class ReferenceBackend: Backend {
    package static let shared = ReferenceBackend()
    package let device = Device.reference
    package let isHostAccessible = true

    // MARK: Memory (host memory from the system allocator)

    package func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
    }

    package func deallocate(_ address: UnsafeMutableRawPointer, byteCount: Int) {
        address.deallocate()
    }

    package func copyToHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int) {
        destination.copyMemory(from: source, byteCount: byteCount)
    }

    package func copyFromHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int) {
        destination.copyMemory(from: source, byteCount: byteCount)
    }
}

// MARK: - Helpers shared by the reference kernels

/// The element offset, through `strides`, of row-major position `index` of `shape`:
/// `Σ_d coordinate_d · strides[d]`. A rank-0 shape has one position, at offset 0.
@inline(__always)
func stridedOffset(_ index: Int, shape: [Int], strides: [Int]) -> Int {
    var rest = index, offset = 0
    for d in shape.indices.reversed() {
        offset += (rest % shape[d]) * strides[d]
        rest /= shape[d]
    }
    return offset
}

/// Runs `body` with the float type of `dtype`, or stops with ``Backend/unsupported(_:_:)`` for the others.
@inline(__always)
func withReferenceFloat<R>(_ dtype: DType, _ op: StaticString, on backend: ReferenceBackend,
                           _ body: (any ReferenceFloat.Type) -> R) -> R {
    switch dtype {
    case .float32: body(Float.self)
    case .float64: body(Double.self)
    case .int32, .int64, .bool: backend.unsupported(op, dtype)
    }
}

extension UnsafeRawPointer {
    /// The elements at this address as `T`.
    @inline(__always) func elements<T>(_: T.Type) -> UnsafePointer<T> { assumingMemoryBound(to: T.self) }
}

extension UnsafeMutableRawPointer {
    /// The elements at this address as `T`.
    @inline(__always) func elements<T>(_: T.Type) -> UnsafeMutablePointer<T> { assumingMemoryBound(to: T.self) }
}
