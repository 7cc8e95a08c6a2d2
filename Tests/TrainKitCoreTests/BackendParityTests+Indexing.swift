import Testing

@testable import TrainKitCore

/// Indexing, random fills, convolution and pooling on the CPU and reference backends, bit for bit (the
/// harness: BackendParity.swift).
@Suite struct BackendIndexingParityTests {
    // MARK: Indexing

    /// `[outer, extent, inner]` sources with an index list (repeats, empty, one out of range at the end or at
    /// the front, where nothing may be written).
    static let selections: [(outer: Int, extent: Int, inner: Int, index: [Int64])] = [
        (1, 5, 1, [4, 0, 0, 2]), (3, 4, 2, [1, 3, 1]), (2, 6, 3, []), (0, 3, 2, [2, 1]), (2, 3, 0, [1]),
        (2, 4, 3, [0, 4, 1]), (1, 4, 1, [-1, 2]),
    ]

    @Test(arguments: [1, 4, 8])
    func indexSelectMatches(_ elementSize: Int) {
        for s in Self.selections {
            let source = (0..<s.outer * s.extent * s.inner * elementSize).map { UInt8($0 % 241) }
            let call = ParityCall(
                inputs: [source, bytes(s.index)],
                outputs: [[UInt8](repeating: 0xEE, count: s.outer * s.index.count * s.inner * elementSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.indexSelect(
                    elementSize: elementSize, outer: s.outer, extent: s.extent, inner: s.inner,
                    source: i[0], index: i[1], count: s.index.count, destination: o[0])
            }
            #expect(cpu.result == reference.result, "indexSelect \(s): out-of-range report")
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "indexSelect \(elementSize) \(s)")
        }
    }

    /// Repeated indices add up in order of `j`: the same order on both sides, so exact.
    @Test(arguments: floatTypes)
    func indexAddMatches(_ dtype: DType) {
        for s in Self.selections where s.index.allSatisfy({ (0..<Int64(s.extent)).contains($0) }) {
            let g = parityValues(s.outer * s.index.count * s.inner, seed: 300, scale: 3)
            let start = parityValues(s.outer * s.extent * s.inner, seed: 301)
            let call = ParityCall(inputs: [floatBytes(g, dtype), bytes(s.index)], outputs: [floatBytes(start, dtype)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.indexAdd(
                    dtype, outer: s.outer, extent: s.extent, inner: s.inner, source: i[0], index: i[1],
                    count: s.index.count, destination: o[0])
            }
            expectSameBytes(cpu.outputs[0], reference.outputs[0], elementSize: dtype.byteSize, "indexAdd \(dtype) \(s)")
        }
    }

    /// `torch.gather` problems: the index shape, the dimension, the source's extent along it and its strides
    /// (contiguous, a transposed view, a gapped view), and whether an index is out of range.
    static let gathers: [(shape: [Int], dim: Int, extent: Int, strides: [Int], bad: Bool)] = [
        ([3, 4], 0, 5, [4, 1], false), ([3, 4], 1, 6, [6, 1], false), ([3, 4], 1, 5, [1, 3], false),
        ([2, 3, 2], 2, 4, [30, 8, 2], false), ([2, 0, 3], 0, 2, [3, 3, 1], false), ([4], 0, 3, [1], true),
        ([2, 2], 1, 3, [3, 1], true),
    ]

    /// Index values for `g`: every position's index in `0..<extent`, the last one out of range when `g.bad`.
    static func gatherIndex(_ g: (shape: [Int], dim: Int, extent: Int, strides: [Int], bad: Bool)) -> [Int64] {
        var index = (0..<g.shape.reduce(1, *)).map { Int64(($0 * 7 + 3) % g.extent) }
        if g.bad { index[index.count - 1] = Int64(g.extent) }
        return index
    }

    @Test(arguments: [1, 4, 8])
    func gatherMatches(_ elementSize: Int) {
        for g in Self.gathers {
            var full = g.shape
            full[g.dim] = g.extent
            let source = (0..<reach(full, g.strides) * elementSize).map { UInt8($0 % 239) }
            let n = g.shape.reduce(1, *)
            let call = ParityCall(
                inputs: [source, bytes(Self.gatherIndex(g))],
                outputs: [[UInt8](repeating: 0xEE, count: n * elementSize)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.gather(
                    elementSize: elementSize, indexShape: g.shape, index: i[1], dim: g.dim, extent: g.extent,
                    source: i[0], sourceStrides: g.strides, destination: o[0])
            }
            #expect(cpu.result == reference.result, "gather \(g): out-of-range report")
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: elementSize, "gather \(elementSize) \(g)")
        }
    }

    /// The adjoint into a destination viewed through the same strides; positions meeting at one destination
    /// element add up in the same order on both sides, so exact.
    @Test(arguments: floatTypes)
    func scatterAddMatches(_ dtype: DType) {
        for g in Self.gathers where !g.bad {
            var full = g.shape
            full[g.dim] = g.extent
            let n = g.shape.reduce(1, *)
            let call = ParityCall(
                inputs: [floatBytes(parityValues(n, seed: 310, scale: 3), dtype), bytes(Self.gatherIndex(g))],
                outputs: [floatBytes(parityValues(reach(full, g.strides), seed: 311), dtype)])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.scatterAdd(
                    dtype, indexShape: g.shape, index: i[1], dim: g.dim, source: i[0], destination: o[0],
                    destinationStrides: g.strides)
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: dtype.byteSize, "scatterAdd \(dtype) \(g)")
        }
    }

    // MARK: Random

    @Test(arguments: floatTypes)
    func randomFillsMatch(_ dtype: DType) {
        for (count, seed) in [(0, 1), (1, 2), (7, 3), (1000, 4)] as [(Int, UInt64)] {
            let key = RandomKey(seed: seed)
            let call = ParityCall(inputs: [], outputs: [[UInt8](repeating: 0xEE, count: (count + 1) * dtype.byteSize)])
            let (cpuU, referenceU) = call.onBoth { backend, _, o in
                backend.randomUniform(dtype, count: count, key: key, low: -2, high: 3, out: o[0])
            }
            expectSameBytes(
                cpuU.outputs[0], referenceU.outputs[0], elementSize: dtype.byteSize, "uniform \(dtype) \(count)")
            let (cpuN, referenceN) = call.onBoth { backend, _, o in
                backend.randomNormal(dtype, count: count, key: key, mean: 1, std: 0.5, out: o[0])
            }
            expectSameBytes(
                cpuN.outputs[0], referenceN.outputs[0], elementSize: dtype.byteSize, "normal \(dtype) \(count)")
        }
    }

    // MARK: Convolution and pooling

    /// Geometries with stride, padding, dilation and non-square windows, the 2×2 stride-2 window the CPU has
    /// its own loop for (an odd height drops the last row), and an empty batch.
    static let geometries: [ConvolutionGeometry] = [
        geometry(kernel: (5, 5), stride: (1, 1), padding: (2, 2), dilation: (1, 1)),
        geometry(kernel: (2, 3), stride: (2, 1), padding: (1, 1), dilation: (1, 2)),
        geometry(kernel: (3, 3), stride: (3, 2), padding: (0, 1), dilation: (2, 1)),
        geometry(kernel: (1, 1), stride: (1, 1), padding: (0, 0), dilation: (1, 1)),
        geometry(kernel: (2, 2), stride: (2, 2), padding: (0, 0), dilation: (1, 1)),
        geometry(kernel: (2, 2), stride: (2, 2), padding: (0, 0), dilation: (1, 1), batch: 0),
    ]

    static func geometry(
        kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
        batch: Int = 2
    ) -> ConvolutionGeometry {
        let (channels, height, width) = (3, 7, 6)
        return ConvolutionGeometry(
            batch: batch, channels: channels, height: height, width: width, kernelH: kernel.0, kernelW: kernel.1,
            strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1, dilationH: dilation.0,
            dilationW: dilation.1,
            outHeight: ConvolutionGeometry.outputSize(
                height, kernel: kernel.0, stride: stride.0, padding: padding.0,
                dilation: dilation.0),
            outWidth: ConvolutionGeometry.outputSize(
                width, kernel: kernel.1, stride: stride.1, padding: padding.1,
                dilation: dilation.1))
    }

    static func imageCount(_ g: ConvolutionGeometry) -> Int { g.batch * g.channels * g.height * g.width }

    /// Column entries that meet at one pixel are added in order of the window element on both sides: exact.
    @Test(arguments: floatTypes)
    func im2colAndCol2imMatch(_ dtype: DType) {
        for (k, g) in Self.geometries.enumerated() {
            let x = parityValues(Self.imageCount(g), seed: UInt64(400 + k), specials: [.nan, .infinity])
            let forward = ParityCall(
                inputs: [floatBytes(x, dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: g.rows * g.columns * dtype.byteSize)])
            let (cpu, reference) = forward.onBoth { backend, i, o in backend.im2col(dtype, g, x: i[0], cols: o[0]) }
            expectSameBytes(cpu.outputs[0], reference.outputs[0], elementSize: dtype.byteSize, "im2col \(dtype) \(k)")
            let cols = parityValues(g.rows * g.columns, seed: UInt64(410 + k), scale: 3)
            let backward = ParityCall(
                inputs: [floatBytes(cols, dtype)],
                outputs: [[UInt8](repeating: 0xEE, count: Self.imageCount(g) * dtype.byteSize)])
            let (cpuX, referenceX) = backward.onBoth { backend, i, o in backend.col2im(dtype, g, cols: i[0], x: o[0]) }
            expectSameBytes(cpuX.outputs[0], referenceX.outputs[0], elementSize: dtype.byteSize, "col2im \(dtype) \(k)")
        }
    }

    /// Max pooling over `batch·channels` planes with ties (values rounded to halves), -∞ and NaN entries (a
    /// NaN wins its windows, the last one kept): values, argmax and the backward's scatter, bit for bit.
    @Test(arguments: floatTypes)
    func maxPoolMatches(_ dtype: DType) {
        for (k, g) in Self.geometries.enumerated() where 2 * g.padH <= g.kernelH && 2 * g.padW <= g.kernelW {
            let x = parityValues(
                Self.imageCount(g), seed: UInt64(420 + k), scale: 2, specials: [.nan, -.infinity, .nan],
                specialEvery: 5
            ).map { ($0 * 2).rounded() / 2 }
            let grid = g.batch * g.channels * g.outHeight * g.outWidth
            let call = ParityCall(
                inputs: [floatBytes(x, dtype)],
                outputs: [
                    [UInt8](repeating: 0xEE, count: grid * dtype.byteSize), [UInt8](repeating: 0xEE, count: grid * 4),
                ])
            let (cpu, reference) = call.onBoth { backend, i, o in
                backend.maxPool2d(dtype, g, x: i[0], y: o[0], argmax: o[1])
            }
            expectSameBytes(
                cpu.outputs[0], reference.outputs[0], elementSize: dtype.byteSize, "maxPool2d \(dtype) \(k)")
            expectSameBytes(cpu.outputs[1], reference.outputs[1], elementSize: 4, "maxPool2d argmax \(dtype) \(k)")
            let gy = parityValues(grid, seed: UInt64(430 + k))
            let backward = ParityCall(
                inputs: [floatBytes(gy, dtype), reference.outputs[1]],
                outputs: [[UInt8](repeating: 0xEE, count: Self.imageCount(g) * dtype.byteSize)])
            let (cpuX, referenceX) = backward.onBoth { backend, i, o in
                backend.maxPool2dBackward(dtype, g, gy: i[0], argmax: i[1], gx: o[0])
            }
            expectSameBytes(
                cpuX.outputs[0], referenceX.outputs[0], elementSize: dtype.byteSize, "maxPool2d backward \(dtype) \(k)")
        }
    }
}
