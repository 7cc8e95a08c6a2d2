import CTrainKitKernels
import Foundation
import Testing

@testable import TrainKitCore

/// One GEMM problem: `C[M, N] = alpha · op(A)[M, K] · op(B)[K, N] + beta · C`, with `pad` extra elements in
/// every row stride (so `lda > columns` is covered when `pad > 0`).
struct GEMMCase: Sendable, CustomTestStringConvertible {
    var M: Int, N: Int, K: Int
    var transA = false, transB = false
    var alpha: Float = 1, beta: Float = 0
    var pad = 0

    var lda: Int { (transA ? M : K) + pad }
    var ldb: Int { (transB ? K : N) + pad }
    var ldc: Int { N + pad }
    var aCount: Int { (transA ? K : M) * lda }
    var bCount: Int { (transB ? N : K) * ldb }

    var testDescription: String {
        "\(M)x\(N)x\(K) \(transA ? "T" : "N")\(transB ? "T" : "N") alpha=\(alpha) beta=\(beta) pad=\(pad)"
    }

    /// Shapes with edge tiles in every dimension, each under all four transpose combinations.
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (7, 13, 5), (65, 33, 129), (256, 256, 256), (1, 77, 64), (100, 100, 1), (13, 1, 300),
        (37, 200, 17), (12, 32, 128), (300, 17, 513),
        // At most 4 rows: the unpacked small-M path (column blocks of 32/16/8 and a masked remainder).
        (2, 300, 70), (3, 50, 1100), (4, 1030, 9), (1, 45, 300),
        // Narrow (N <= 16) or tiny products: unpacked, in blocks of 4 rows (the first split across the pool).
        (130, 10, 128), (64, 16, 40), (9, 5, 700), (30, 30, 30),
    ]

    static let all: [GEMMCase] = shapes.flatMap { m, n, k in
        [(false, false), (false, true), (true, false), (true, true)].map { ta, tb in
            GEMMCase(M: m, N: n, K: k, transA: ta, transB: tb)
        }
    }

    /// Padded strides under every transpose combination on products of at most 256 rows, where the AVX-512 path
    /// reads an untransposed A's row panels and an untransposed B's column panels in place (their strides matter).
    static let paddedSmall: [GEMMCase] = [(64, 96, 70), (65, 33, 129), (200, 64, 40), (8, 32, 300)].flatMap { m, n, k in
        [(false, false), (false, true), (true, false), (true, true)].map { ta, tb in
            GEMMCase(M: m, N: n, K: k, transA: ta, transB: tb, alpha: 1, beta: 0.5, pad: 3)
        }
    }

    /// alpha/beta variants (incl. beta 0 over a NaN-filled C) and padded strides on a few shapes.
    static let scaled: [GEMMCase] = [(7, 13, 5), (65, 33, 129), (50, 70, 300)].flatMap { m, n, k in
        [(Float(1), Float(1)), (-0.5, 2), (2, 0), (0.3, -1), (0, 0.5), (0, 0)].flatMap { alpha, beta in
            [0, 5].map { pad in
                GEMMCase(M: m, N: n, K: k, transA: pad > 0, transB: m == 65, alpha: alpha, beta: beta, pad: pad)
            }
        }
    }
}

/// Deterministic test data in [-1, 1) (xorshift64*).
struct TestNumbers {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Float((state &* 0x2545_F491_4F6C_DD1D) >> 40) / Float(1 << 24) * 2 - 1
    }
    mutating func floats(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

/// Runs `kernel` and the reference backend's GEMM on the same inputs and checks every element, the padding
/// included.
/// Tolerance: 4·sqrt(K+1)·eps·(|alpha|·sqrt(K) + |beta| + 1), about 10x the typical rounding error of a
/// K-term float32 dot product of values in [-1, 1) (partial sums grow like sqrt(K), errors like sqrt(K)·eps).
func expectGEMMMatchesReference(
    _ c: GEMMCase, sourceLocation: SourceLocation = #_sourceLocation,
    kernel: (_ A: [Float], _ B: [Float], _ C: inout [Float]) -> Void
) {
    var rng = TestNumbers(seed: UInt64(c.M * 1_000_003 + c.N * 1009 + c.K))
    let a = rng.floats(c.aCount), b = rng.floats(c.bCount)
    var start = rng.floats(c.M * c.ldc)
    if c.beta == 0 { start = start.map { _ in Float.nan } }  // beta == 0 must not read C
    var expected = start
    referenceGEMM(.float32, GEMMProblem(transA: c.transA, transB: c.transB, m: c.M, n: c.N, k: c.K,
                                        alpha: Double(c.alpha), beta: Double(c.beta), lda: c.lda, ldb: c.ldb,
                                        ldc: c.ldc), a, b, &expected)
    var actual = start
    kernel(a, b, &actual)
    let tolerance = 4 * Float(c.K + 1).squareRoot() * Float.ulpOfOne * (abs(c.alpha) * Float(c.K).squareRoot()
        + abs(c.beta) + 1)
    var worst: (index: Int, error: Float) = (0, 0)
    var mismatches = 0
    for i in 0..<c.M {
        for j in 0..<c.ldc {
            let index = i * c.ldc + j
            let (x, y) = (actual[index], expected[index])
            if j >= c.N {  // padding: untouched
                if !(x == y || (x.isNaN && y.isNaN)) { mismatches += 1; worst = (index, .infinity) }
                continue
            }
            let error = abs(x - y)
            if !(error <= tolerance) {
                mismatches += 1
                if !(error <= worst.error) { worst = (index, error.isNaN ? .infinity : error) }
            }
        }
    }
    #expect(
        mismatches == 0,
        """
        \(c.testDescription): \(mismatches) elements off; worst C[\(worst.index / c.ldc), \(worst.index % c.ldc)] = \
        \(actual[worst.index]) vs reference \(expected[worst.index]) (tolerance \(tolerance))
        """, sourceLocation: sourceLocation)
}

/// `ReferenceBackend.shared.gemm` on host arrays (the reference backend's memory is host memory): each dot
/// product summed in `Double` in order of k, so the result is at least as accurate as any kernel's.
func referenceGEMM<T>(_ dtype: DType, _ p: GEMMProblem, _ a: [T], _ b: [T], _ c: inout [T]) {
    a.withUnsafeBytes { a in
        b.withUnsafeBytes { b in
            c.withUnsafeMutableBytes { c in
                ReferenceBackend.shared.gemm(dtype, p, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
            }
        }
    }
}

/// The SIMD levels this CPU runs, widest first; the built-in kernel is tested at each.
let supportedSIMDLevels: [String] = ["avx512", "avx2", "scalar"].filter { level in
    var c: Float = 0
    return tk_sgemm_builtin_level(level, 0, 0, 1, 1, 1, 1, [1], 1, [1], 1, 0, &c, 1) == 1
}

let blasName = String(cString: tk_blas_name())

@Suite struct GEMMTests {
    @Test(arguments: GEMMCase.all + GEMMCase.scaled + GEMMCase.paddedSmall)
    func builtinMatchesReference(_ c: GEMMCase) {
        for level in supportedSIMDLevels {
            expectGEMMMatchesReference(c) { a, b, out in
                let ran = tk_sgemm_builtin_level(
                    level, c.transA ? 1 : 0, c.transB ? 1 : 0, Int64(c.M), Int64(c.N), Int64(c.K), c.alpha, a,
                    Int64(c.lda), b, Int64(c.ldb), c.beta, &out, Int64(c.ldc))
                #expect(ran == 1, "kernel \(level) did not run")
            }
        }
    }

    @Test(arguments: GEMMCase.all + GEMMCase.scaled + GEMMCase.paddedSmall)
    func dispatchMatchesReference(_ c: GEMMCase) {
        expectGEMMMatchesReference(c) { a, b, out in
            tk_sgemm(
                c.transA ? 1 : 0, c.transB ? 1 : 0, Int64(c.M), Int64(c.N), Int64(c.K), c.alpha, a, Int64(c.lda), b,
                Int64(c.ldb), c.beta, &out, Int64(c.ldc))
        }
    }

    // Skipped (not passed) when no BLAS is found: then tk_sgemm is the built-in kernel, which the tests
    // above already cover, and there is nothing to compare. `blasIsReported` records which BLAS ran.
    @Test(.enabled(if: blasName != "none", "no BLAS found (tk_blas_name() is \"none\"); install OpenBLAS"),
          arguments: GEMMCase.all + GEMMCase.scaled + GEMMCase.paddedSmall)
    func blasMatchesReference(_ c: GEMMCase) {
        expectGEMMMatchesReference(c) { a, b, out in
            let ran = tk_sgemm_blas(
                c.transA ? 1 : 0, c.transB ? 1 : 0, Int64(c.M), Int64(c.N), Int64(c.K), c.alpha, a, Int64(c.lda), b,
                Int64(c.ldb), c.beta, &out, Int64(c.ldc))
            #expect(ran == 1, "\(blasName) declined the call")
        }
    }

    @Test func blasIsReported() {
        // "none", or a description that names the library file.
        #expect(blasName == "none" || blasName.contains(".so") || blasName.contains(".dylib")
            || blasName == "accelerate", "unexpected tk_blas_name() \(blasName)")
        #expect(tk_blas_load("/nonexistent/libnothing.so") == 0)
        #expect(String(cString: tk_blas_name()) == blasName, "a failed load must keep the previous BLAS")
    }

    /// Float32 products stay on the built-in kernel unless TRAINKIT_SGEMM=blas (read once per process, so the
    /// BLAS case runs in a child process that sets it before its first product).
    @Test func sgemmPathFollowsTheEnvironment() async {
        if getenv("TRAINKIT_SGEMM") == nil { #expect(tk_sgemm_uses_blas() == 0) }
        await #expect(processExitsWith: .success) {
            setenv("TRAINKIT_SGEMM", "blas", 1)
            let blasLoaded = String(cString: tk_blas_name()) != "none"
            if tk_sgemm_uses_blas() != (blasLoaded ? 1 : 0) { exit(1) }
            // The product itself is right on whichever path it took.
            let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [1, 0, 0, 1, 1, 1]  // [2, 3] · [3, 2]
            var c = [Float](repeating: .nan, count: 4)
            tk_sgemm(0, 0, 2, 2, 3, 1, a, 3, b, 2, 0, &c, 2)
            if c != [4, 5, 10, 11] { exit(2) }
        }
    }

    @Test func simdLevelIsKnown() {
        let level = String(cString: tk_simd_level())
        #expect(["avx512", "avx2", "scalar"].contains(level))
        #expect(supportedSIMDLevels.contains(level))
        #expect(supportedSIMDLevels.last == "scalar")
        #expect(tk_simd_set_level("sse9") == 0)
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func dgemmMatchesReference(_ trans: (Bool, Bool)) {
        for (m, n, k, alpha, beta) in [(7, 13, 5, 1.0, 0.0), (65, 33, 129, -0.5, 2.0), (130, 70, 300, 1.0, 1.0)] {
            let pad = 3
            let (lda, ldb, ldc) = ((trans.0 ? m : k) + pad, (trans.1 ? k : n) + pad, n + pad)
            var rng = TestNumbers(seed: UInt64(m + n + k))
            let a = rng.floats((trans.0 ? k : m) * lda).map(Double.init)
            let b = rng.floats((trans.1 ? n : k) * ldb).map(Double.init)
            let start = rng.floats(m * ldc).map { beta == 0 ? Double.nan : Double($0) }
            var expected = start, actual = start
            referenceGEMM(.float64, GEMMProblem(transA: trans.0, transB: trans.1, m: m, n: n, k: k, alpha: alpha,
                                                beta: beta, lda: lda, ldb: ldb, ldc: ldc), a, b, &expected)
            tk_dgemm(
                trans.0 ? 1 : 0, trans.1 ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb),
                beta, &actual, Int64(ldc))
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    let error = abs(actual[i * ldc + j] - expected[i * ldc + j])
                    if !(error <= worst) { worst = error }
                }
            }
            #expect(worst <= 1e-12 * Double(k), "dgemm \(m)x\(n)x\(k) \(trans): worst error \(worst)")
        }
    }

    @Test func emptyAndZeroKProblems() {
        var c: [Float] = [1, 2, 3, 4]
        tk_sgemm_builtin(0, 0, 2, 2, 0, 1, [], 1, [], 2, 0.5, &c, 2)  // K = 0: C = beta·C
        #expect(c == [0.5, 1, 1.5, 2])
        c = [.nan, .nan, .nan, .nan]
        tk_sgemm(0, 0, 2, 2, 0, 1, [], 1, [], 2, 0, &c, 2)  // beta 0 overwrites NaN
        #expect(c == [0, 0, 0, 0])
        tk_sgemm(0, 0, 0, 2, 3, 1, [], 3, [1, 2, 3, 4, 5, 6], 2, 0, &c, 2)  // M = 0: nothing written
        #expect(c == [0, 0, 0, 0])
    }
}

/// Marks each index of [0, n) that a chunk covered; the context points at an array of counters.
private let countIndices: tk_range_fn = { context, begin, end in
    let counts = context!.assumingMemoryBound(to: Int32.self)
    for i in Int(begin)..<Int(end) { counts[i] += 1 }
}

/// A chunk that calls tk_parallel_for again (which must run inline) over its own range.
private let nestedCount: tk_range_fn = { context, begin, end in
    let counts = context!.assumingMemoryBound(to: Int32.self)
    tk_parallel_for(end - begin, 1, countIndices, UnsafeMutableRawPointer(counts + Int(begin)))
}

@Suite(.serialized) struct ThreadPoolTests {
    func coverage(n: Int, grain: Int64, body: tk_range_fn = countIndices) -> [Int32] {
        var counts = [Int32](repeating: 0, count: n)
        counts.withUnsafeMutableBufferPointer { buffer in
            tk_parallel_for(Int64(n), grain, body, UnsafeMutableRawPointer(buffer.baseAddress))
        }
        return counts
    }

    @Test func parallelForCoversEveryIndexOnce() {
        let saved = tk_get_num_threads()
        defer { tk_set_num_threads(saved) }
        for threads in [1, 2, 3, 5] {
            tk_set_num_threads(Int32(threads))
            #expect(tk_get_num_threads() == threads)
            for n in [0, 1, 2, 3, 7, 64, 1000, 100_003] {
                for grain: Int64 in [0, 1, 7, 1000, 1 << 40] {
                    for _ in 0..<3 {
                        let counts = coverage(n: n, grain: grain)
                        let bad = counts.firstIndex { $0 != 1 }
                        #expect(bad == nil, "threads \(threads) n \(n) grain \(grain): index \(bad ?? -1) ran \(bad.map { counts[$0] } ?? 0) times")
                    }
                }
            }
        }
    }

    @Test func parallelForChunksCoversEveryIndexOnce() {
        for n in [1, 7, 1000, 100_003] {
            for chunks: Int64 in [1, 2, 5, 64, 1 << 20] {
                var counts = [Int32](repeating: 0, count: n)
                counts.withUnsafeMutableBufferPointer { buffer in
                    tk_parallel_for_chunks(Int64(n), chunks, countIndices, UnsafeMutableRawPointer(buffer.baseAddress))
                }
                #expect(counts.allSatisfy { $0 == 1 }, "n \(n) chunks \(chunks)")
            }
        }
    }

    @Test func nestedParallelForRunsInline() {
        for n in [1, 5, 1000, 65_536] {
            let counts = coverage(n: n, grain: 1, body: nestedCount)
            #expect(counts.allSatisfy { $0 == 1 }, "nested n \(n)")
        }
    }

    @Test func manySmallJobsInARow() {
        // Back-to-back dispatches, as element-wise ops in a training step issue them.
        for i in 0..<20_000 {
            let n = 1 + i % 97
            let counts = coverage(n: n, grain: 1)
            if !counts.allSatisfy({ $0 == 1 }) {
                Issue.record("job \(i) (n \(n)) did not cover every index once: \(counts)")
                break
            }
        }
    }
}
