import Foundation

/// The agents' random stream: SplitMix64 over one 64-bit state, so a checkpoint saves it as one number and a
/// resumed run draws exactly what the uninterrupted one would.
///
/// Used for action sampling, ε-greedy exploration and minibatch order (network weights start from
/// `RandomKey`s derived from the same seed).
public struct AgentRandom: Sendable, Equatable {
    /// The whole state; restoring it restores the stream.
    public var state: UInt64

    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D }

    /// The next 64 random bits (SplitMix64: add the golden-ratio increment, then mix).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Standard normal (Box–Muller: `√(−2 ln u₁) · cos(2π u₂)`, `u₁ ∈ (0, 1]`).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform integer in `0..<n` (`n > 0`), by multiply-shift (bias below 2⁻⁶⁴·n).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "AgentRandom.int(below:): n must be > 0, got \(n)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A random permutation of `0..<n` (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, int(below: i + 1)) }
        return p
    }
}

