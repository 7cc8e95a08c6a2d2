import Testing

@testable import TrainKitCore

/// Every primitive of the `Backend` protocol run on the CPU backend (the C kernels) and on the reference
/// backend (plain Swift) with the same inputs: several shapes (empty ones too), broadcast (stride 0) and
/// non-contiguous operands, float32 and float64, and the NaN and infinity cases the contracts name. Copies,
/// selections, comparisons, indexing, arg-reductions and random fills must agree bit for bit; math within a
/// few ulps, or within the documented error of the CPU's float32 approximations (fast_math.h).
/// Reductions, GEMM, indexing, random fills and convolution: BackendParityTests+Kernels.swift.
@Suite struct BackendParityTests {
    // MARK: Element-wise

    /// Index spaces with per-operand strides: contiguous, empty, one broadcast element, a broadcast row or
    /// column, transposed and gapped views.
    static let layouts: [(shape: [Int], a: [Int], b: [Int])] = [
        ([7], [1], [1]), ([0], [1], [1]), ([5], [1], [0]), ([5], [0], [1]),
        ([4, 5], [5, 1], [0, 1]), ([4, 5], [1, 4], [1, 0]), ([3, 0, 2], [0, 2, 1], [2, 2, 1]),
        ([2, 3, 4], [24, 8, 2], [0, 1, 0]), ([2, 3, 2, 3], [1, 2, 6, 12], [18, 6, 3, 1]),
    ]

    /// Runs `binary` (or `compare`) for every layout; `out` holds `elementSize`-byte results.
    func expectBinaryParity(_ op: BinaryOp, _ dtype: DType, compare: Bool, values: (Int, UInt64) -> [Double]) {
        for (k, l) in Self.layouts.enumerated() {
            let count = l.shape.reduce(1, *)
            let size = compare ? 1 : dtype.byteSize
            let a = values(reach(l.shape, l.a), UInt64(2 * k + 1))
            let b = values(reach(l.shape, l.b), UInt64(2 * k + 2))
            let call = ParityCall(
                inputs: [floatBytes(a, dtype), floatBytes(b, dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: count * size)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                if compare {
                    backend.compare(
                        op, dtype, shape: l.shape, a: i[0], aStrides: l.a, b: i[1], bStrides: l.b, out: o[0])
                } else {
                    backend.binary(op, dtype, shape: l.shape, a: i[0], aStrides: l.a, b: i[1], bStrides: l.b, out: o[0])
                }
            }
            let label = "\(op) \(dtype) \(l.shape) strides \(l.a) \(l.b)"
            if compare {
                expectSameBytes(cpu.outputs[0], reference.outputs[0], elementSize: 1, label)
            } else {
                expectClose(floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype), .exact, label)
            }
        }
    }

    static let arithmetic: [BinaryOp] = [.add, .sub, .mul, .div, .maximum, .minimum, .pow]
    static let comparisons: [BinaryOp] = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual]

    @Test func everyBinaryOpIsCompared() {
        #expect(Set(Self.arithmetic + Self.comparisons) == Set(BinaryOp.allCases))
    }

    /// IEEE arithmetic and the C library's `pow` are exact on both; `maximum`/`minimum` keep the C kernel's
    /// NaN rule (a NaN in `b` wins, one in `a` does not), so NaN and infinities are among the inputs.
    @Test(arguments: arithmetic, floatTypes)
    func binaryMatches(_ op: BinaryOp, _ dtype: DType) {
        expectBinaryParity(op, dtype, compare: false) { n, seed in
            parityValues(n, seed: seed, scale: 3, specials: specialValues, specialEvery: 5)
        }
    }

    @Test(arguments: arithmetic, floatTypes)
    func binaryFlatMatches(_ op: BinaryOp, _ dtype: DType) {
        for operands in [FlatOperands.elementwise, .scalarA, .scalarB] {
            for count in [0, 1, 9, 100] {
                let a = parityValues(operands == .scalarA ? 1 : count, seed: 5, scale: 3, specials: specialValues)
                let b = parityValues(operands == .scalarB ? 1 : count, seed: 6, scale: 3, specials: specialValues)
                let call = ParityCall(
                    inputs: [floatBytes(a, dtype), floatBytes(b, dtype)],
                    outputs: [[UInt8](repeating: 0xEE, count: count * dtype.byteSize)])
                let (cpu, reference) = call.onBoth { backend, i, o in
                    backend.binaryFlat(op, dtype, count: count, operands: operands, a: i[0], b: i[1], out: o[0])
                }
                expectClose(
                    floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype), .exact,
                    "\(op) \(dtype) \(operands) count \(count)")
            }
        }
    }

    /// Comparisons with ties (values rounded to quarters), NaN and infinities, bit for bit.
    @Test(arguments: comparisons, floatTypes)
    func compareMatches(_ op: BinaryOp, _ dtype: DType) {
        expectBinaryParity(op, dtype, compare: true) { n, seed in
            parityValues(n, seed: seed, scale: 2, specials: [.nan, .infinity, -.infinity, 0, -0.0], specialEvery: 4)
                .map { ($0 * 4).rounded() / 4 }
        }
    }

    /// One unary op with its parameters and the float32 tolerances its CPU kernel meets (forward, backward).
    struct UnaryCase: CustomTestStringConvertible, Sendable {
        var op: UnaryOp
        var p0 = 0.0, p1 = 0.0
        var float32 = Tolerance.exact, float32Backward = Tolerance.exact
        var testDescription: String { "\(op)(\(p0), \(p1))" }
    }

    /// Float32 ops on IEEE arithmetic or the C library only are exact. Those on the CPU's approximations of
    /// fast_math.h get 3 ulps plus the absolute error the approximation reaches through the formula, measured
    /// over [-12, 12] every 7e-5: `tk_expf` flushes subnormal results to 0 (`flush`); `tk_tanhf` is within
    /// 1e-7, amplified up to 1.1e-6 in the tanh-GELU derivative; `tk_erff` is within 2e-7 (its documented
    /// bound); `elu`'s `e^x - 1` and `silu`'s `1 - σ(x)` cancel, which turns an ulp of `e^x` into up to 0.9e-7
    /// and 3.6e-7.
    static let unaryCases: [UnaryCase] = {
        let f32 = DType.float32
        let flush = Double(Float.leastNormalMagnitude)
        let expLike = Tolerance.ulps(3, f32, atol: flush)
        return [
            .init(op: .neg), .init(op: .exp, float32: expLike, float32Backward: expLike), .init(op: .log),
            .init(op: .sqrt), .init(op: .abs), .init(op: .square), .init(op: .relu),
            .init(op: .sigmoid, float32: expLike, float32Backward: expLike),
            .init(op: .tanh, float32: .ulps(3, f32, atol: 1e-7), float32Backward: .ulps(3, f32, atol: 1e-7)),
            .init(op: .silu, float32: expLike, float32Backward: .ulps(3, f32, atol: 4.5e-7)),
            .init(op: .gelu, float32: .ulps(3, f32, atol: 4e-7), float32Backward: .ulps(3, f32, atol: 2.5e-7)),
            .init(op: .geluTanh, float32: .ulps(3, f32, atol: 2e-7), float32Backward: .ulps(3, f32, atol: 1.4e-6)),
            .init(op: .softplus, p0: 1, p1: 20, float32: expLike, float32Backward: expLike),
            .init(op: .softplus, p0: 2, p1: 10, float32: expLike, float32Backward: expLike),
            .init(op: .leakyRelu, p0: 0.1),
            .init(op: .elu, p0: 1.5, float32: .ulps(3, f32, atol: 1.2e-7), float32Backward: expLike),
            .init(op: .clamp, p0: -0.5, p1: 0.5), .init(op: .clamp, p0: .nan, p1: 0.5),
            .init(op: .clamp, p0: -0.5, p1: .nan), .init(op: .clamp, p0: .nan, p1: .nan),
            .init(op: .powScalar, p0: 2), .init(op: .powScalar, p0: 3), .init(op: .powScalar, p0: -1),
            .init(op: .powScalar, p0: -2), .init(op: .powScalar, p0: 0.5), .init(op: .powScalar, p0: 0),
            .init(op: .sign), .init(op: .reciprocal), .init(op: .sin), .init(op: .cos),
            .init(op: .erf, float32: .ulps(3, f32, atol: 2e-7), float32Backward: expLike),
            .init(op: .addScalar, p0: 0.3), .init(op: .mulScalar, p0: -2.5), .init(op: .step, p0: 0.25),
        ]
    }()

    @Test func everyUnaryOpIsCompared() {
        #expect(Set(Self.unaryCases.map(\.op)) == Set(UnaryOp.allCases))
    }

    /// Inputs in [-4, 4) with the special values, and a wide band [-95, 95) that crosses the float32
    /// overflow and underflow thresholds of `exp`.
    static let unaryInputs =
        parityValues(600, seed: 11, scale: 4, specials: specialValues)
        + parityValues(200, seed: 12, scale: 95)

    /// float64 runs libm on both sides; compound formulas may differ by the rounding of a contracted
    /// multiply-add in the C build, so 4 ulps and an absolute ulp of 1.
    static func tolerance(_ c: UnaryCase, _ dtype: DType, backward: Bool = false) -> Tolerance {
        dtype == .float32 ? (backward ? c.float32Backward : c.float32) : .ulps(4, .float64, atol: .ulpOfOne)
    }

    @Test(arguments: unaryCases, floatTypes)
    func unaryMatches(_ c: UnaryCase, _ dtype: DType) {
        let x = Self.unaryInputs
        let call = ParityCall(
            inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0xEE, count: x.count * dtype.byteSize)])
        let (cpu, reference) = call.onBoth { backend, i, o in
            backend.unary(c.op, dtype, count: x.count, x: i[0], out: o[0], p0: c.p0, p1: c.p1)
        }
        expectClose(
            floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
            Self.tolerance(c, dtype), "\(c.testDescription) \(dtype)")
    }

    /// The backward with the same `x`, `y = f(x)` (the reference's) and `g` on both sides.
    @Test(arguments: unaryCases, floatTypes)
    func unaryBackwardMatches(_ c: UnaryCase, _ dtype: DType) {
        let x = Self.unaryInputs
        let g = parityValues(x.count, seed: 13)
        let forward = ParityCall(
            inputs: [floatBytes(x, dtype)], outputs: [[UInt8](repeating: 0, count: x.count * dtype.byteSize)])
        let y = forward.run(on: ReferenceBackend.shared) { backend, i, o in
            backend.unary(c.op, dtype, count: x.count, x: i[0], out: o[0], p0: c.p0, p1: c.p1)
        }.outputs[0]
        let call = ParityCall(
            inputs: [floatBytes(x, dtype), y, floatBytes(g, dtype)],
            outputs: [[UInt8](repeating: 0xEE, count: x.count * dtype.byteSize)])
        let (cpu, reference) = call.onBoth { backend, i, o in
            backend.unaryBackward(c.op, dtype, count: x.count, x: i[0], y: i[1], g: i[2], gx: o[0], p0: c.p0, p1: c.p1)
        }
        expectClose(
            floatValues(cpu.outputs[0], dtype), floatValues(reference.outputs[0], dtype),
            Self.tolerance(c, dtype, backward: true), "\(c.testDescription) backward \(dtype)")
    }

    /// `condition ? a : b` with condition bytes 0, 1 and 2 (any non-zero byte is true).
    @Test(arguments: [1, 2, 4, 8])
    func selectMatches(_ elementSize: Int) {
        for count in [0, 1, 33] {
            let condition = (0..<count).map { UInt8($0 * 7 % 3) }
            let a = (0..<count * elementSize).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let b = (0..<count * elementSize).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 5) }
            let call = ParityCall(
                inputs: [condition, a, b], outputs: [[UInt8](repeating: 0xEE, count: count * elementSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.select(elementSize: elementSize, count: count, condition: i[0], a: i[1], b: i[2], out: o[0])
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "select \(elementSize) \(count)")
        }
    }

    // MARK: Copy, fill, convert, accumulate

    /// Views with their strides: rank 0, empty, contiguous, transposed, broadcast (reading only), gapped.
    static let views: [(shape: [Int], strides: [Int], writable: Bool)] = [
        ([], [], true), ([0, 3], [3, 1], true), ([6], [1], true), ([3, 4], [1, 3], true), ([3, 4], [0, 1], false),
        ([2, 3, 4], [30, 10, 2], true), ([5], [3], true), ([2, 1, 3], [3, 7, 1], true),
    ]

    @Test(arguments: [1, 2, 4, 8])
    func copyStridedMatches(_ elementSize: Int) {
        for v in Self.views {
            let count = v.shape.reduce(1, *)
            let source = (0..<reach(v.shape, v.strides) * elementSize).map { UInt8($0 % 251) }
            let call = ParityCall(inputs: [source], outputs: [[UInt8](repeating: 0xEE, count: count * elementSize + 8)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.copyStrided(
                    elementSize: elementSize, shape: v.shape, source: i[0], strides: v.strides,
                    destination: o[0])
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "copyStrided \(elementSize) \(v)")
        }
    }

    /// The destination's bytes outside the view are compared too (they must keep their values).
    @Test(arguments: [1, 2, 4, 8])
    func copyToStridedMatches(_ elementSize: Int) {
        for v in Self.views where v.writable {
            let count = v.shape.reduce(1, *)
            let source = (0..<count * elementSize).map { UInt8($0 % 253) }
            let start = (0..<(reach(v.shape, v.strides) + 2) * elementSize).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let call = ParityCall(inputs: [source], outputs: [start])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.copyToStrided(
                    elementSize: elementSize, shape: v.shape, source: i[0], destination: o[0],
                    strides: v.strides)
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "copyToStrided \(elementSize) \(v)")
        }
    }

    @Test func copyMatches() {
        for count in [0, 1, 7, 4096] {
            let source = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let call = ParityCall(inputs: [source], outputs: [[UInt8](repeating: 0xEE, count: count + 8)])
            let (cpu, reference) = call.onBoth { backend, i, o in backend.copy(byteCount: count, from: i[0], to: o[0]) }
            expectSameBytes(cpu.outputs[0], reference.outputs[0], elementSize: 1, "copy \(count)")
            #expect(Array(cpu.outputs[0].prefix(count)) == source)
            #expect(cpu.outputs[0].suffix(8).allSatisfy { $0 == 0xEE }, "copy \(count) wrote past its end")
        }
    }

    @Test(arguments: [1, 2, 4, 8])
    func fillMatches(_ elementSize: Int) {
        for count in [0, 1, 17] {
            let call = ParityCall(inputs: [], outputs: [[UInt8](repeating: 0xEE, count: (count + 2) * elementSize)])
            let (cpu, reference) = call.onBoth { backend, _, o in
                backend.fill(elementSize: elementSize, count: count, destination: o[0], pattern: 0x0123_4567_89AB_CDEF)
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "fill \(elementSize) \(count)")
        }
    }

    /// Source values of `dtype` for converting to `target`: fractions, signed zeros and large magnitudes;
    /// NaN and infinities only toward float and bool (toward int the contract leaves them open), integers
    /// past 2^31 and 2^53 (wrapping to int32, rounding to floats), bool bytes 0, 1 and 2.
    static func convertSource(_ dtype: DType, to target: DType) -> [UInt8] {
        let toInteger = target == .int32 || target == .int64
        switch dtype {
        case .float32, .float64:
            let specials: [Double] =
                toInteger
                ? [0, -0.0, 2.5, -2.5, 0.999, -0.999, 1e9, -2e9]
                : [0, -0.0, .nan, .infinity, -.infinity, 1e-30, 3e38, 1e300]
            let v = parityValues(40, seed: 21, scale: 200, specials: specials, specialEvery: 3)
            return floatBytes(dtype == .float32 ? v.map { Double(Float($0)) } : v, dtype)
        case .int32: return bytes([0, 1, -1, 7, -123_456, .max, .min, 1 << 24 + 1] as [Int32])
        case .int64:
            return bytes([0, 1, -1, 1 << 31, -(1 << 31) - 5, 1 << 53 + 1, 1 << 62 + 12345, .max, .min] as [Int64])
        case .bool: return [0, 1, 2, 0, 255, 1]
        }
    }

    @Test(arguments: DType.allCases, DType.allCases)
    func convertMatches(_ from: DType, _ to: DType) {
        let source = Self.convertSource(from, to: to)
        let count = source.count / from.byteSize
        let call = ParityCall(inputs: [source], outputs: [[UInt8](repeating: 0xEE, count: count * to.byteSize)])
        let (cpu, reference) = call.onBoth { backend, i, o in
            backend.convert(from: from, to: to, count: count, source: i[0], destination: o[0])
        }
        expectSameBytes(cpu.outputs[0], reference.outputs[0], elementSize: to.byteSize, "convert \(from) → \(to)")
    }

    @Test(arguments: floatTypes)
    func accumulateMatches(_ dtype: DType) {
        for count in [0, 1, 100] {
            let call = ParityCall(
                inputs: [floatBytes(parityValues(count, seed: 31, specials: specialValues), dtype)],
                outputs: [floatBytes(parityValues(count + 1, seed: 32), dtype)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.accumulate(dtype, count: count, source: i[0], destination: o[0])
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: dtype.byteSize, "accumulate \(dtype) \(count)")
        }
    }
}

// MARK: - exp at the edges of the float32 range

extension BackendParityTests {
    /// `tk_expf` is within 3 ulps of `expf` from -87.33654 (the result is the least normal float) up to
    /// 88.72283 (the largest input with a finite result); above that it is infinity, below it flushes to 0
    /// (the reference gives subnormals there). A clamp at 88.7 (and -87.3) inside that range once made
    /// e^88.72 2% low.
    @Test func expAtTheEdgesOfTheFloat32Range() {
        let top = Float(bitPattern: 0x42B1_7217)  // 88.72283
        let bottom = Float(bitPattern: 0xC2AE_AC4F)  // -87.33654
        let inRange: [Float] = [88.705, 88.71, 88.72, top.nextDown, top, -87.3, -87.33, bottom.nextUp, bottom]
        let x = inRange + [top.nextUp, 100, bottom.nextDown, -100]
        let call = ParityCall(inputs: [bytes(x)], outputs: [[UInt8](repeating: 0, count: x.count * 4)])
        let (cpu, reference) = call.onBoth { backend, i, o in
            backend.unary(.exp, .float32, count: x.count, x: i[0], out: o[0], p0: 0, p1: 0)
        }
        let c = values(cpu.outputs[0], as: Float.self)
        let r = values(reference.outputs[0], as: Float.self)
        expectClose(
            c.prefix(inRange.count + 2).map(Double.init), r.prefix(inRange.count + 2).map(Double.init),
            .ulps(3, .float32), "exp at the edges")
        #expect(Array(c.suffix(2)) == [0, 0], "exp below -87.33654 flushes to 0: \(c.suffix(2))")
        #expect(r.suffix(2).allSatisfy { $0 < Float.leastNormalMagnitude }, "reference \(r.suffix(2))")
    }
}
