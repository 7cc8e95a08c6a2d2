import Testing

@testable import TrainKitCore

/// Reductions, softmax, GEMM, indexing, random fills, convolution and pooling on the CPU and reference
/// backends (the harness and the element-wise primitives: BackendParity.swift, BackendParityTests.swift).
@Suite struct BackendKernelParityTests {
    // MARK: Reductions and softmax

    /// `[outer, extent, inner]` problems: empty ones, single elements, the CPU's 16-lane path (inner 1,
    /// extent ≥ 16), strided slices (inner > 1) and its split long sum (extent ≥ 4·65536).
    static let reductions: [(outer: Int, extent: Int, inner: Int)] = [
        (1, 1, 1), (1, 7, 1), (1, 40, 1), (2, 33, 1), (3, 5, 4), (2, 17, 3), (0, 5, 3), (4, 3, 0), (1, 300_000, 1),
    ]

    /// Multiples of 1/16 in [-1, 1]: every partial sum of fewer than 2^19 of them is exact in float32, so sums
    /// in any order agree exactly; powers of two keep products exact. Ties and ±inf test max and min.
    static func reductionInput(_ op: ReduceOp, _ n: Int, seed: UInt64) -> [Double] {
        let v = parityValues(n, seed: seed).map { ($0 * 16).rounded() / 16 }
        switch op {
        case .sum: return v
        case .prod: return v.map { $0 < -0.5 ? -2 : ($0 < 0 ? -0.5 : ($0 < 0.5 ? 1 : 2)) }
        case .max, .min:
            return v.enumerated().map {
                $0.offset % 11 == 5 ? ($0.offset % 2 == 0 ? .infinity : -.infinity) : $0.element
            }
        }
    }

    @Test(arguments: ReduceOp.allCases, floatTypes)
    func reduceMatches(_ op: ReduceOp, _ dtype: DType) {
        var problems = Self.reductions + (op == .sum || op == .prod ? [(1, 0, 1), (3, 0, 2)] : [])
        if op == .prod { problems.removeAll { $0.extent > 1000 } }  // 2^±n overflows in an order-dependent way
        for (k, r) in problems.enumerated() {
            let x = Self.reductionInput(op, r.outer * r.extent * r.inner, seed: UInt64(40 + k))
            let call = ParityCall(
                inputs: [floatBytes(x, dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: r.outer * r.inner * dtype.byteSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.reduce(op, dtype, outer: r.outer, extent: r.extent, inner: r.inner, x: i[0], out: o[0])
            }
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype), .exact,
                "\(op) \(dtype) \(r)")
        }
    }

    /// Sums of values that round: within the error bound of recursive summation, `n·u·Σ|x|` (u = ulp/2),
    /// which holds for any order; the reference's sum in Double is exact to well below it.
    @Test(arguments: floatTypes)
    func sumOfRoundedValuesIsWithinTheSummationBound(_ dtype: DType) {
        let (outer, extent, inner) = (3, 1000, 2)
        let x = parityValues(outer * extent * inner, seed: 49, scale: 10)
        let call = ParityCall(
            inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0, count: 6 * dtype.byteSize)])
        let (cpu, reference) = call.onBoth { backend, i, o in
            backend.reduce(.sum, dtype, outer: outer, extent: extent, inner: inner, x: i[0], out: o[0])
        }
        let u = (dtype == .float32 ? Double(Float.ulpOfOne) : .ulpOfOne) / 2
        let bound = Double(extent) * u * x.map { Swift.abs($0) }.reduce(0, +) / Double(outer * inner)
        expectClose(
            floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
            Tolerance(rtol: 0, atol: 2 * bound), "sum \(dtype)")
    }

    /// Indices of the first maximum or minimum, with ties (values rounded to quarters), ±inf, and NaN as the
    /// first element of a slice (the other NaN cases: `argReduceNaNAfterTheFirstElementWins`).
    @Test(arguments: [false, true], floatTypes)
    func argReduceMatches(_ isMin: Bool, _ dtype: DType) {
        for (k, r) in Self.reductions.enumerated() where r.extent > 0 {
            var x = parityValues(
                r.outer * r.extent * r.inner, seed: UInt64(60 + k), scale: 2,
                specials: [.infinity, -.infinity], specialEvery: 9
            ).map { ($0 * 4).rounded() / 4 }
            if r.outer * r.inner > 1 { x[0] = .nan }
            let call = ParityCall(
                inputs: [floatBytes(x, dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: r.outer * r.inner * 8)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.argReduce(
                    isMin: isMin, dtype, outer: r.outer, extent: r.extent, inner: r.inner, x: i[0],
                    out: o[0])
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: 8, "argReduce min \(isMin) \(dtype) \(r)")
        }
    }

    /// Softmax problems `[rows, cols]` (empty ones too) and rows with a NaN, an infinity or a -∞ entry.
    static let softmaxShapes: [(rows: Int, cols: Int)] = [(1, 1), (3, 7), (2, 40), (0, 5), (4, 100), (5, 16)]

    static func softmaxInput(rows: Int, cols: Int, seed: UInt64) -> [Double] {
        var x = parityValues(rows * cols, seed: seed, scale: 6)
        if rows >= 4 { (x[1], x[cols + 2], x[2 * cols + 3]) = (.nan, .infinity, -.infinity) }
        return x
    }

    /// float32: the CPU's `tk_expf` (about 1 ulp) and its float32 sum against libm and a Double sum; log-softmax
    /// `x - (m + log Σ)` cancels, so its absolute error is an ulp of the shift (|x| < 6, Σ ≤ 100: 1e-6).
    static func softmaxTolerance(_ dtype: DType, log: Bool) -> Tolerance {
        dtype == .float32 ? .ulps(4, dtype, atol: log ? 1e-6 : 1e-9) : .ulps(8, dtype, atol: log ? 4e-15 : 1e-300)
    }

    @Test(arguments: [false, true], floatTypes)
    func softmaxMatches(_ log: Bool, _ dtype: DType) {
        for (k, s) in Self.softmaxShapes.enumerated() {
            let x = Self.softmaxInput(rows: s.rows, cols: s.cols, seed: UInt64(70 + k))
            let call = ParityCall(
                inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0xEE, count: x.count * dtype.byteSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.softmax(dtype, rows: s.rows, cols: s.cols, x: i[0], y: o[0], log: log)
            }
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
                Self.softmaxTolerance(dtype, log: log), "softmax log \(log) \(dtype) \(s)")
        }
    }

    /// The backward with the same `y` (the reference's forward) and `g` in [-1, 1): `g - Σ g·y` and
    /// `g - e^y·Σ g` cancel, so the absolute error is a few ulps of the larger term.
    @Test(arguments: [false, true], floatTypes)
    func softmaxBackwardMatches(_ log: Bool, _ dtype: DType) {
        for (k, s) in Self.softmaxShapes.enumerated() {
            let x = parityValues(s.rows * s.cols, seed: UInt64(80 + k), scale: 6)
            let n = x.count * dtype.byteSize
            let y = ParityCall(inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0, count: n)])
                .run(on: ReferenceBackend.shared) { b, i, o in
                    b.softmax(dtype, rows: s.rows, cols: s.cols, x: i[0], y: o[0], log: log)
                }
            let call = ParityCall(
                inputs: [y.outputs[0], floatBytes(parityValues(x.count, seed: 90), dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: n)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.softmaxBackward(dtype, rows: s.rows, cols: s.cols, y: i[0], g: i[1], gx: o[0], log: log)
            }
            let ulp = dtype == .float32 ? Double(Float.ulpOfOne) : .ulpOfOne
            let atol = (log ? Double(s.cols) : 1) * 4 * ulp
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
                .ulps(4, dtype, atol: atol), "softmax backward log \(log) \(dtype) \(s)")
        }
    }

    // MARK: Matrix products

    /// Problems with every transpose combination, padded row strides, scaled `alpha`/`beta` and empty sizes;
    /// `C` starts as NaN when `beta == 0` (it must not be read).
    static let gemms: [GEMMProblem] = [(1, 1, 1), (7, 13, 5), (33, 17, 65), (0, 5, 3), (4, 0, 3), (5, 4, 0)]
        .flatMap { m, n, k in
            [(false, false), (false, true), (true, false), (true, true)].enumerated().map { t, trans in
                let pad = t % 2 * 3
                let (alpha, beta) = [(1.0, 0.0), (-0.5, 2.0), (0.75, 0.0), (2, -1)][t]
                return GEMMProblem(
                    transA: trans.0, transB: trans.1, m: m, n: n, k: k, alpha: alpha, beta: beta,
                    lda: (trans.0 ? m : k) + pad, ldb: (trans.1 ? k : n) + pad, ldc: n + pad)
            }
        }

    /// The GEMMTests bound: 4·√(k+1)·ε·(|alpha|·√k + |beta| + 1) for values in [-1, 1).
    static func gemmTolerance(_ p: GEMMProblem, _ dtype: DType) -> Tolerance {
        let eps = dtype == .float32 ? Double(Float.ulpOfOne) : .ulpOfOne
        let k = Double(p.k)
        return Tolerance(
            rtol: 0,
            atol: 4 * (k + 1).squareRoot() * eps * (Swift.abs(p.alpha) * k.squareRoot() + Swift.abs(p.beta) + 1))
    }

    /// Operands `A`, `B` and the starting `C` of `batch` problems `p`, `C_i` `strideC` elements apart.
    static func gemmOperands(
        _ p: GEMMProblem, batch: Int = 1, strideC: Int? = nil, seed: UInt64
    ) -> (a: [Double], b: [Double], c: [Double]) {
        let a = parityValues((p.transA ? p.k : p.m) * p.lda * batch, seed: seed)
        let b = parityValues((p.transB ? p.n : p.k) * p.ldb * batch, seed: seed + 1)
        let c = parityValues((strideC ?? p.m * p.ldc) * batch, seed: seed + 2).map { p.beta == 0 ? .nan : $0 }
        return (a, b, c)
    }

    @Test(arguments: floatTypes)
    func gemmMatches(_ dtype: DType) {
        for (k, p) in Self.gemms.enumerated() {
            let (a, b, c) = Self.gemmOperands(p, seed: UInt64(100 + 3 * k))
            let call = ParityCall(
                inputs: [floatBytes(a, dtype), floatBytes(b, dtype)], outputs: [floatBytes(c, dtype)])
            let (cpu, reference) = call.onBoth { backend, i, o in backend.gemm(dtype, p, a: i[0], b: i[1], c: o[0]) }
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
                Self.gemmTolerance(p, dtype), "gemm \(dtype) \(p)")
        }
    }

    /// Batches of 3 with each operand either per-batch or shared (stride 0).
    @Test(arguments: floatTypes)
    func gemmBatchedMatches(_ dtype: DType) {
        for (k, p) in Self.gemms.enumerated() where p.m * p.n > 0 {
            let sizeA = (p.transA ? p.k : p.m) * p.lda
            let sizeB = (p.transB ? p.n : p.k) * p.ldb
            let sizeC = p.m * p.ldc
            let (a, b, c) = Self.gemmOperands(p, batch: 3, seed: UInt64(200 + 3 * k))
            let (strideA, strideB) = [(sizeA, sizeB), (0, sizeB), (sizeA, 0)][k % 3]
            let call = ParityCall(
                inputs: [floatBytes(a, dtype), floatBytes(b, dtype)], outputs: [floatBytes(c, dtype)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.gemmBatched(
                    dtype, p, batch: 3, a: i[0], strideA: strideA, b: i[1], strideB: strideB, c: o[0],
                    strideC: sizeC)
            }
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
                Self.gemmTolerance(p, dtype), "gemmBatched \(dtype) \(p) strides \(strideA) \(strideB)")
        }
    }
}

// MARK: - NaN in reductions and arg-reductions

extension BackendKernelParityTests {
    /// A NaN counts as the extreme and the first NaN wins (the contract, `torch.argmax`), also after the first
    /// element; comparing with `>` (`<`) alone skipped it.
    @Test(arguments: [false, true], floatTypes)
    func argReduceNaNAfterTheFirstElementWins(_ isMin: Bool, _ dtype: DType) {
        let cases: [(x: [Double], index: Int64)] = [
            ([1, 5, .nan, -7, .nan], 2), ([.nan, 5, .nan], 0), ([1, 2, 3, .nan], 3),
        ]
        for (x, index) in cases {
            let call = ParityCall(inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0, count: 8)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.argReduce(isMin: isMin, dtype, outer: 1, extent: x.count, inner: 1, x: i[0], out: o[0])
            }
            #expect(values(reference.outputs[0], as: Int64.self) == [index], "reference \(x)")
            #expect(values(cpu.outputs[0], as: Int64.self) == [index], "cpu \(x)")
        }
    }

    /// Max (min) over a slice with a NaN is NaN (`torch.amax`) wherever the NaN sits: in a lane of the CPU's
    /// 16-lane loop with a larger value behind it (`[1, NaN, 0 ×15, 100, 0 ×14]` once gave 1), in the tail,
    /// in a strided slice (inner > 1) and in one chunk of the split long reduction.
    @Test(arguments: [ReduceOp.max, .min], floatTypes)
    func reduceOverANaNIsNaN(_ op: ReduceOp, _ dtype: DType) {
        let sign: Double = op == .max ? 1 : -1
        for (extent, inner, nanAt) in [(32, 1, 1), (40, 1, 37), (5, 3, 7), (300_000, 1, 150_001)] {
            var x = [Double](repeating: 0, count: extent * inner)
            (x[0], x[nanAt], x[Swift.min(nanAt + 16, x.count - 1)]) = (sign, .nan, 100 * sign)
            let call = ParityCall(
                inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0, count: inner * dtype.byteSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.reduce(op, dtype, outer: 1, extent: extent, inner: inner, x: i[0], out: o[0])
            }
            let label = "\(op) \(dtype) extent \(extent) inner \(inner), NaN at \(nanAt)"
            #expect(floatValues(reference.outputs[0], dtype)[nanAt % inner].isNaN, "reference \(label)")
            expectClose(
                floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype), .exact, label)
        }
    }
}
