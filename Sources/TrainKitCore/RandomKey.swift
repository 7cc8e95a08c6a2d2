/// A key for TrainKit's counter-based random numbers: Philox-4x32-10 (Salmon et al., "Parallel Random
/// Numbers: As Easy as 1, 2, 3", SC 2011), the generator of JAX, cuRAND and PyTorch's CUDA backend.
///
/// Element `i` of a random tensor is a pure function of `(key, i)`, so a seed gives the same numbers on
/// every machine and any number of threads. Keys are split rather than advanced: `split()` gives
/// independent child keys, so each layer, shuffle and dropout draws its own stream.
public struct RandomKey: Sendable, Hashable, Codable {
    public var k0: UInt32
    public var k1: UInt32

    /// A key from a 64-bit seed.
    public init(seed: UInt64) {
        let mixed = RandomKey.splitMix(seed)
        k0 = UInt32(truncatingIfNeeded: mixed)
        k1 = UInt32(truncatingIfNeeded: mixed >> 32)
    }

    public init(k0: UInt32, k1: UInt32) {
        self.k0 = k0
        self.k1 = k1
    }

    /// `n` independent keys derived from this one.
    public func split(_ n: Int = 2) -> [RandomKey] {
        (0..<n).map { i in
            let block = philox(counter: (UInt32(truncatingIfNeeded: i), 0, 0xFFFF_FFFF, 0x5EED_5EED))
            return RandomKey(k0: block.0, k1: block.1)
        }
    }

    /// The i-th 128 random bits of this key's stream, as four 32-bit words.
    @inlinable public func bits(_ index: UInt64, stream: UInt32 = 0) -> (UInt32, UInt32, UInt32, UInt32) {
        philox(counter: (UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32), stream, 0))
    }

    @inlinable func philox(counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var a = k0, b = k1
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
            c = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ a, UInt32(truncatingIfNeeded: p1),
                 UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ b, UInt32(truncatingIfNeeded: p0))
            a &+= 0x9E37_79B9
            b &+= 0xBB67_AE85
        }
        return c
    }

    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform float in [0, 1) from 32 random bits (24 significant bits).
    @inlinable static func unitFloat(_ bits: UInt32) -> Float { Float(bits >> 8) * (1.0 / 16_777_216.0) }
    /// A uniform double in [0, 1) from 64 random bits (53 significant bits).
    @inlinable static func unitDouble(_ hi: UInt32, _ lo: UInt32) -> Double {
        Double(((UInt64(hi) << 32) | UInt64(lo)) >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// A `RandomNumberGenerator` over a key's stream, so Swift APIs like `shuffle(using:)` follow the seed.
public struct KeyedGenerator: RandomNumberGenerator, Sendable {
    public let key: RandomKey
    public private(set) var counter: UInt64 = 0

    public init(_ key: RandomKey) { self.key = key }
    public init(seed: UInt64) { self.key = RandomKey(seed: seed) }

    public mutating func next() -> UInt64 {
        let b = key.bits(counter, stream: 1)
        counter += 1
        return (UInt64(b.0) << 32) | UInt64(b.1)
    }
}

/// The global random stream, used when a call takes no explicit key. `Random.seed(0)` makes a whole
/// program repeatable; each call to `nextKey()` hands out the next key of the stream.
///
/// The stream is per thread (like the autograd switch): each thread starts at seed 0, and seeding on one
/// thread never changes the numbers another thread draws, so concurrent runs (tests, trials of a search)
/// stay reproducible. Code that moves between threads (async tasks) should pass `RandomKey`s explicitly.
public enum Random {
    /// Resets this thread's stream to `seed`.
    public static func seed(_ seed: UInt64) {
        let state = ThreadState.current
        state.pointee.randomSeed = seed
        state.pointee.randomDrawn = 0
    }

    /// The next key of this thread's stream.
    public static func nextKey() -> RandomKey {
        let state = ThreadState.current
        let (seed, drawn) = (state.pointee.randomSeed, state.pointee.randomDrawn)
        state.pointee.randomDrawn = drawn &+ 1
        return RandomKey(seed: RandomKey.splitMix(seed) ^ (drawn &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The stream's position (seed and keys drawn), saved with checkpoints for exact resume.
    public static var position: (seed: UInt64, drawn: UInt64) {
        get {
            let state = ThreadState.current
            return (state.pointee.randomSeed, state.pointee.randomDrawn)
        }
        set {
            let state = ThreadState.current
            state.pointee.randomSeed = newValue.seed
            state.pointee.randomDrawn = newValue.drawn
        }
    }
}
