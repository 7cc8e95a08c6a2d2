import CTrainKitKernels

#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Element loops of the fused optimizer steps.
///
/// Every element is independent, so a large parameter is split into contiguous chunks over the kernel thread
/// pool, and each chunk runs in 4-lane vectors (`Float4`) with a partial vector at its end. Lane arithmetic is
/// IEEE float32, identical to the scalar operations (no fused multiply-add), so the result depends neither on
/// the split nor on the vector width. Kernels write `forEachChunk(n) { range in vectors(range) { i, limit in ... } }`
/// with both closures literal (or `vectors(range, vector)` with an `@inline(__always)` local function), so the
/// vector body is inlined into the chunk loop.
enum FusedLoop {
    /// Below this many elements a step runs on the calling thread.
    static let grain = 1 << 16

    /// Calls `body` on disjoint ranges covering `0..<count`, possibly in parallel.
    ///
    /// Never inlined: the chunk closure then compiles once, the same loop for the serial and the parallel path
    /// (an inlined serial copy was at times optimized worse, e.g. a helper left out of line).
    @inline(never)
    static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
        if count <= grain {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escaping in
            var box = escaping
            withUnsafeMutablePointer(to: &box) { pointer in
                tk_parallel_for(
                    Int64(count), Int64(grain),
                    { context, begin, end in
                        let f = context!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee
                        f(Int(begin)..<Int(end))
                    }, UnsafeMutableRawPointer(pointer))
            }
        }
    }

    /// Calls `body(i, limit)` for each 4-element vector starting at `i` in `range`: full vectors get
    /// `limit == Int.max` (so `load`/`store` move whole vectors), the last, partial one gets the range end.
    @inline(__always)
    static func vectors(_ range: Range<Int>, _ body: (_ i: Int, _ limit: Int) -> Void) {
        var i = range.lowerBound
        let end = range.upperBound
        while i &+ 4 <= end {
            body(i, Int.max)
            i &+= 4
        }
        if i < end { body(i, end) }
    }
}

typealias Float4 = SIMD4<Float>

/// The 4 elements at `p + i` (fewer before `limit`, the rest zero).
@inline(__always) func load(_ p: UnsafePointer<Float>, _ i: Int, _ limit: Int) -> Float4 {
    if limit == Int.max { return UnsafeRawPointer(p + i).loadUnaligned(as: Float4.self) }
    var v = Float4()
    for k in 0..<(limit - i) { v[k] = p[i + k] }
    return v
}

@inline(__always) func load(_ p: UnsafeMutablePointer<Float>, _ i: Int, _ limit: Int) -> Float4 {
    load(UnsafePointer(p), i, limit)
}

/// Writes `v` to `p + i` (only the elements before `limit`).
@inline(__always) func store(_ v: Float4, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ limit: Int) {
    if limit == Int.max {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Float4.self)
        return
    }
    for k in 0..<(limit - i) { p[i + k] = v[k] }
}

/// Lane-wise correctly rounded square root (`sqrtps`; the scalar `squareRoot()` does not vectorize on Linux).
@inline(__always) func squareRoot(_ x: Float4) -> Float4 {
    #if arch(x86_64)
        return _mm_sqrt_ps(x)
    #else
        return x.squareRoot()
    #endif
}

/// PyTorch's `lerp(start, end, weight)` for a scalar weight: `start + w·(end − start)` when |w| < 0.5 (`small`),
/// else `end − (end − start)·(1 − w)`.
@inline(__always) func lerp(_ start: Float4, _ end: Float4, _ weight: Float, small: Bool) -> Float4 {
    small ? start + weight * (end - start) : end - (end - start) * (1 - weight)
}

/// Whether `lerp` with this weight takes its first form.
@inline(__always) func isSmallLerpWeight(_ weight: Float) -> Bool { Swift.abs(weight) < 0.5 }

/// `torch.maximum`: the larger value per lane, NaN when either is NaN.
@inline(__always) func nanMaximum(_ a: Float4, _ b: Float4) -> Float4 {
    b.replacing(with: a, where: (a .> b) .| (a .!= a))
}

/// |x| per lane (the sign bit cleared).
@inline(__always) func absolute(_ x: Float4) -> Float4 {
    unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt32>.self) & 0x7FFF_FFFF, to: Float4.self)
}
