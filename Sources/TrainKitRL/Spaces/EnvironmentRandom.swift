/// A seeded random stream for environments and space sampling: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same numbers on every platform. The stream is TrainKit's own: it does not reproduce
/// NumPy's PCG64, so a seeded `reset` in TrainKit starts from a different state than Gymnasium's with the same seed.
public struct EnvironmentRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A stream determined by `seed` (SplitMix64 expands it into the 256-bit state).
    public init(seed: UInt64) {
        var z = seed
        func splitMix(_ z: inout UInt64) -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s0 = splitMix(&z); s1 = splitMix(&z); s2 = splitMix(&z); s3 = splitMix(&z)
    }

    /// A stream seeded from the system's entropy (an unseeded environment's first reset).
    public static func entropy() -> EnvironmentRandom {
        var system = SystemRandomNumberGenerator()
        return EnvironmentRandom(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// `U[0, 1)` with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `U[low, high)`: `low + (high − low)·u`.
    public mutating func uniform(low: Double, high: Double) -> Double { low + (high - low) * uniform() }

    /// A standard normal draw (Box–Muller: `sqrt(−2 ln(1 − u₁))·cos(2π u₂)`).
    public mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log1mExact(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An `Exp(1)` draw: `−ln(1 − u)`.
    public mutating func exponential() -> Double { -log1mExact(uniform()) }

    /// A uniform integer in `0..<n` (`n ≥ 1`), without modulo bias.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0, got \(n)")
        return Int(next(upperBound: UInt64(n)))
    }

    private func log1mExact(_ u: Double) -> Double { log(1 - u) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
