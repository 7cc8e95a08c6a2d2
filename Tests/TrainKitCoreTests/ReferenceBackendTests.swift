import Testing

@testable import TrainKitCore

/// The reference backend against values derived by hand from the `Backend` contracts and the C kernels'
/// definitions, so the oracle is checked on its own and not only against the CPU.
@Suite struct ReferenceBackendTests {
    let backend = ReferenceBackend.shared

    /// `op` applied by the reference backend to float64 `x`.
    func unary(_ op: UnaryOp, _ x: [Double], _ p0: Double = 0, _ p1: Double = 0) -> [Double] {
        let call = ParityCall(inputs: [bytes(x)], outputs: [[UInt8](repeating: 0, count: 8 * x.count)])
        let out = call.run(on: backend) { b, i, o in
            b.unary(op, .float64, count: x.count, x: i[0], out: o[0], p0: p0, p1: p1)
        }
        return values(out.outputs[0], as: Double.self)
    }

    /// `a op b` element-wise (same length) by the reference backend, float64.
    func binary(_ op: BinaryOp, _ a: [Double], _ b: [Double]) -> [Double] {
        let call = ParityCall(inputs: [bytes(a), bytes(b)], outputs: [[UInt8](repeating: 0, count: 8 * a.count)])
        let out = call.run(on: backend) { be, i, o in
            be.binary(op, .float64, shape: [a.count], a: i[0], aStrides: [1], b: i[1], bStrides: [1], out: o[0])
        }
        return values(out.outputs[0], as: Double.self)
    }

    /// Equal element by element, NaN matching NaN.
    func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test func comparisonsDecideNaNAsTheCKernelsDo() {
        #expect(same(unary(.relu, [.nan, -1, 2]), [0, 0, 2]))  // x > 0 ? x : 0
        #expect(same(unary(.sign, [.nan, -0.0, -3, 4]), [0, 0, -1, 1]))
        #expect(same(unary(.step, [.nan, 0.5, 0.25], 0.25), [0, 1, 0]))
        // maximum is x > y ? x : y: a NaN in y is returned, a NaN in x is not.
        #expect(same(binary(.maximum, [.nan, 1], [1, .nan]), [1, .nan]))
        #expect(same(binary(.minimum, [.nan, 1], [1, .nan]), [1, .nan]))
    }

    @Test func clampTreatsANaNBoundAsNoBound() {
        #expect(same(unary(.clamp, [-2, 0, 2, .nan], -1, 1), [-1, 0, 1, .nan]))
        #expect(same(unary(.clamp, [-2, 0, 2], .nan, 1), [-2, 0, 1]))
        #expect(same(unary(.clamp, [-2, 0, 2], -1, .nan), [-1, 0, 2]))
    }

    @Test func powScalarTakesNegativeBasesWithIntegerExponents() {
        #expect(same(unary(.powScalar, [-2, 3], 3), [-8, 27]))
        #expect(same(unary(.powScalar, [-2, 0.5], -2), [0.25, 4]))
        #expect(unary(.powScalar, [-4], 0.5)[0].isNaN)
    }

    @Test func softplusSwitchesToIdentityAboveTheThreshold() {
        // log(1 + e^(βx))/β with β = 2: x = 0 gives log 2 / 2; βx = 12 > 10 gives x.
        let y = unary(.softplus, [0, 6], 2, 10)
        #expect(Swift.abs(y[0] - 0.34657359027997264) < 1e-15)
        #expect(y[1] == 6)
    }

    @Test func reductionsOfEmptyAndNaNSlices() {
        func reduce(_ op: ReduceOp, _ x: [Double], extent: Int) -> Double {
            let call = ParityCall(inputs: [bytes(x + [0])], outputs: [[UInt8](repeating: 0, count: 8)])
            let out = call.run(on: backend) { b, i, o in
                b.reduce(op, .float64, outer: 1, extent: extent, inner: 1, x: i[0], out: o[0])
            }
            return values(out.outputs[0], as: Double.self)[0]
        }
        #expect(reduce(.sum, [], extent: 0) == 0)
        #expect(reduce(.prod, [], extent: 0) == 1)
        #expect(reduce(.max, [1, .nan, 3], extent: 3).isNaN)
        #expect(reduce(.min, [-.infinity, 2], extent: 2) == -.infinity)
    }

    @Test func argReduceTakesTheFirstExtremeAndTheFirstNaN() {
        func arg(_ x: [Double], isMin: Bool) -> Int64 {
            let call = ParityCall(inputs: [bytes(x)], outputs: [[UInt8](repeating: 0, count: 8)])
            let out = call.run(on: backend) { b, i, o in
                b.argReduce(isMin: isMin, .float64, outer: 1, extent: x.count, inner: 1, x: i[0], out: o[0])
            }
            return values(out.outputs[0], as: Int64.self)[0]
        }
        #expect(arg([1, 3, 3, 2], isMin: false) == 1)
        #expect(arg([1, 0, 0, 2], isMin: true) == 1)
        #expect(arg([1, 3, .nan, 9, .nan], isMin: false) == 2)
        #expect(arg([1, 3, .nan, -9], isMin: true) == 2)
    }

    @Test func convertFollowsTheContract() {
        func convert(_ source: [UInt8], from: DType, to: DType) -> [UInt8] {
            let count = source.count / from.byteSize
            let call = ParityCall(inputs: [source], outputs: [[UInt8](repeating: 0, count: count * to.byteSize)])
            return call.run(on: backend) { b, i, o in
                b.convert(from: from, to: to, count: count, source: i[0], destination: o[0])
            }.outputs[0]
        }
        #expect(
            values(convert(bytes([2.9, -2.9, -0.5] as [Double]), from: .float64, to: .int32), as: Int32.self) == [
                2, -2, 0,
            ])
        #expect(convert(bytes([0, -0.0, .nan, 0.25] as [Float]), from: .float32, to: .bool) == [0, 0, 1, 1])
        #expect(values(convert([0, 1, 2], from: .bool, to: .float32), as: Float.self) == [0, 1, 1])
        #expect(values(convert(bytes([1 << 32 + 7] as [Int64]), from: .int64, to: .int32), as: Int32.self) == [7])
    }

    @Test func selectionsReportTheFirstIndexOutOfRangeAndWriteNothing() {
        let call = ParityCall(
            inputs: [bytes([10, 11, 12] as [Float]), bytes([0, 5, -1] as [Int64])],
            outputs: [[UInt8](repeating: 0xEE, count: 12)])
        let out = call.run(on: backend) { b, i, o in
            b.indexSelect(
                elementSize: 4, outer: 1, extent: 3, inner: 1, source: i[0], index: i[1], count: 3,
                destination: o[0])
        }
        #expect(out.result == 5)
        #expect(out.outputs[0] == [UInt8](repeating: 0xEE, count: 12))
    }

    @Test func gemmWithBetaZeroOverwritesNaN() {
        // [2, 3]·[3, 2]: rows (1, 2, 3)·columns of [[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]].
        var c = [Double](repeating: .nan, count: 4)
        referenceGEMM(
            .float64, GEMMProblem(transA: false, transB: false, m: 2, n: 2, k: 3, lda: 3, ldb: 2, ldc: 2),
            [1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 1, 1], &c)
        #expect(c == [4, 5, 10, 11])
    }

    @Test func maxPoolKeepsTheFirstOfTiesAndTheLastNaN() {
        // One 2×3 plane, window 2×2 stride 1 → grid 1×2: windows {0, 1, 3, 4} and {1, 2, 4, 5}.
        let g = ConvolutionGeometry(
            batch: 1, channels: 1, height: 2, width: 3, kernelH: 2, kernelW: 2, strideH: 1,
            strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, outHeight: 1, outWidth: 2)
        let x: [Double] = [5, .nan, 1, 5, 2, .nan]
        let call = ParityCall(
            inputs: [bytes(x)], outputs: [[UInt8](repeating: 0, count: 16), [UInt8](repeating: 0, count: 8)])
        let out = call.run(on: backend) { b, i, o in b.maxPool2d(.float64, g, x: i[0], y: o[0], argmax: o[1]) }
        #expect(values(out.outputs[1], as: Int32.self) == [1, 5])
        #expect(values(out.outputs[0], as: Double.self).allSatisfy { $0.isNaN })
        let ties = ParityCall(
            inputs: [bytes([3, 1, 3, 3, 3, 0] as [Double])],
            outputs: [[UInt8](repeating: 0, count: 16), [UInt8](repeating: 0, count: 8)])
        let tied = ties.run(on: backend) { b, i, o in b.maxPool2d(.float64, g, x: i[0], y: o[0], argmax: o[1]) }
        #expect(values(tied.outputs[1], as: Int32.self) == [0, 2])
    }

    @Test func offersNoFusedKernels() {
        #expect(backend.fusedConvolution == nil)
        #expect(backend.fusedLayerNorm == nil)
        #expect(backend.fusedLSTM == nil)
        #expect(backend.device == .reference)
    }
}
