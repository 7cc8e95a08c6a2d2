#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which Philox bits each element of a random tensor uses, shared by every backend so that a key gives the
/// same tensor on every device and thread count. Element values are pure functions of `(key, i)`:
///
/// - uniform float32: element `i` is word `i % 4` of block `i / 4`, `low + (high - low)·(w >> 8)·2⁻²⁴`
///   computed in double and rounded;
/// - uniform float64: element `i` is block `i`, words 0 and 1 as 53 bits;
/// - normal: block `j` gives elements `2j` and `2j + 1` by Box–Muller in double,
///   `r = √(-2 ln(1 - u₁))`, `mean + std·r·cos(2πu₂)` and `mean + std·r·sin(2πu₂)`, then rounded to the dtype.
package enum PhiloxFill {
    /// Uniform element `i` as a double in `[low, high)` (float32 draws from 24 bits, float64 from 53).
    @inline(__always)
    package static func uniform(_ key: RandomKey, _ i: Int, low: Double, scale: Double, float64: Bool) -> Double {
        if float64 {
            let b = key.bits(UInt64(i))
            return low + scale * RandomKey.unitDouble(b.0, b.1)
        }
        let b = key.bits(UInt64(i / 4))
        return float32Value(SIMD4<UInt32>(b.0, b.1, b.2, b.3)[i % 4], low: low, scale: scale)
    }

    /// A float32 uniform element from its 32 random bits: `low + scale·(w >> 8)·2⁻²⁴`, in double.
    @inline(__always)
    static func float32Value(_ word: UInt32, low: Double, scale: Double) -> Double {
        low + scale * Double(RandomKey.unitFloat(word))
    }

    /// Normal elements `2j` and `2j + 1`.
    @inline(__always)
    package static func normalPair(_ key: RandomKey, _ j: Int, mean: Double, std: Double) -> (Double, Double) {
        let b = key.bits(UInt64(j))
        let u1 = 1 - RandomKey.unitDouble(b.0, b.1)  // (0, 1]
        let u2 = RandomKey.unitDouble(b.2, b.3)
        let r = (-2 * log(u1)).squareRoot()
        return (mean + std * r * cos(2 * Double.pi * u2), mean + std * r * sin(2 * Double.pi * u2))
    }

    /// Writes elements `range` of a uniform tensor of `dtype` (float32 or float64) to `out`.
    package static func fillUniform(_ dtype: DType, _ range: Range<Int>, key: RandomKey, low: Double, high: Double,
                                    out: UnsafeMutableRawPointer, backend: any Backend) {
        let scale = high - low
        switch dtype {
        case .float32:
            // One Philox block gives four elements: draw each block once.
            let p = out.assumingMemoryBound(to: Float.self)
            var i = range.lowerBound
            while i < range.upperBound {
                let b = key.bits(UInt64(i / 4))
                let words = SIMD4<UInt32>(b.0, b.1, b.2, b.3)
                for lane in (i % 4)..<4 where i < range.upperBound {
                    p[i] = Float(float32Value(words[lane], low: low, scale: scale))
                    i += 1
                }
            }
        case .float64:
            let p = out.assumingMemoryBound(to: Double.self)
            for i in range { p[i] = uniform(key, i, low: low, scale: scale, float64: true) }
        case .int32, .int64, .bool:
            backend.unsupported("uniform", dtype)
        }
    }

    /// Writes elements `2·pairs.lowerBound ..< min(2·pairs.upperBound, count)` of a normal tensor.
    package static func fillNormal(_ dtype: DType, pairs: Range<Int>, count: Int, key: RandomKey, mean: Double,
                                   std: Double, out: UnsafeMutableRawPointer, backend: any Backend) {
        switch dtype {
        case .float32:
            let p = out.assumingMemoryBound(to: Float.self)
            for j in pairs {
                let (a, b) = normalPair(key, j, mean: mean, std: std)
                p[2 * j] = Float(a)
                if 2 * j + 1 < count { p[2 * j + 1] = Float(b) }
            }
        case .float64:
            let p = out.assumingMemoryBound(to: Double.self)
            for j in pairs {
                let (a, b) = normalPair(key, j, mean: mean, std: std)
                p[2 * j] = a
                if 2 * j + 1 < count { p[2 * j + 1] = b }
            }
        case .int32, .int64, .bool:
            backend.unsupported("normal", dtype)
        }
    }
}
