// Indexing: the twins of `tk_index_select`, `tk_index_add_*`, `tk_gather` and `tk_scatter_add_*`
// (`CTrainKitKernels/index.c`). Indices are int64; selections check every index before writing anything.

extension ReferenceBackend {
    /// `destination[o, j, i] = source[o, index[j], i]`, `source [outer, extent, inner]`, `destination
    /// [outer, count, inner]` (contiguous). Returns the first index outside `0..<extent` (nothing written).
    package func indexSelect(elementSize: Int, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                             index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer) -> Int? {
        let idx = index.elements(Int64.self)
        if let bad = (0..<count).first(where: { !(0..<Int64(extent)).contains(idx[$0]) }) { return Int(idx[bad]) }
        let row = inner * elementSize
        for o in 0..<outer {
            for j in 0..<count {
                (destination + (o * count + j) * row).copyMemory(from: source + (o * extent + Int(idx[j])) * row,
                                                                 byteCount: row)
            }
        }
        return nil
    }

    /// `destination[o, index[j], i] += source[o, j, i]`, repeated indices adding up in order of `j`.
    package func indexAdd(_ dtype: DType, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                          index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let idx = index.elements(Int64.self), s = source.elements(T.self), d = destination.elements(T.self)
            for o in 0..<outer {
                for j in 0..<count {
                    for i in 0..<inner { d[(o * extent + Int(idx[j])) * inner + i] += s[(o * count + j) * inner + i] }
                }
            }
        }
        withReferenceFloat(dtype, "index_add", on: self) { run($0) }
    }

    /// `destination[p] = source[p with p[dim] = index[p]]` for each row-major position `p` of `indexShape`,
    /// `source` read through `sourceStrides`. Returns the first index outside `0..<extent` (nothing written).
    package func gather(elementSize: Int, indexShape: [Int], index: UnsafeRawPointer, dim: Int, extent: Int,
                        source: UnsafeRawPointer, sourceStrides: [Int], destination: UnsafeMutableRawPointer) -> Int? {
        let idx = index.elements(Int64.self), n = indexShape.reduce(1, *)
        if let bad = (0..<n).first(where: { !(0..<Int64(extent)).contains(idx[$0]) }) { return Int(idx[bad]) }
        for p in 0..<n {
            let from = Self.offset(p, replacing: dim, with: Int(idx[p]), shape: indexShape, strides: sourceStrides)
            (destination + p * elementSize).copyMemory(from: source + from * elementSize, byteCount: elementSize)
        }
        return nil
    }

    /// `destination[p with p[dim] = index[p]] += source[p]` through `destinationStrides`, in order of `p`.
    package func scatterAdd(_ dtype: DType, indexShape: [Int], index: UnsafeRawPointer, dim: Int,
                            source: UnsafeRawPointer, destination: UnsafeMutableRawPointer,
                            destinationStrides: [Int]) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let idx = index.elements(Int64.self), s = source.elements(T.self), d = destination.elements(T.self)
            for p in 0..<indexShape.reduce(1, *) {
                let to = Self.offset(p, replacing: dim, with: Int(idx[p]), shape: indexShape,
                                     strides: destinationStrides)
                d[to] += s[p]
            }
        }
        withReferenceFloat(dtype, "scatter_add", on: self) { run($0) }
    }

    /// The offset through `strides` of row-major position `p` of `shape` with coordinate `dim` set to `i`.
    private static func offset(_ p: Int, replacing dim: Int, with i: Int, shape: [Int], strides: [Int]) -> Int {
        stridedOffset(p, shape: shape, strides: strides) + (i - coordinate(p, dim, shape)) * strides[dim]
    }

    /// Coordinate `dim` of row-major position `p` of `shape`.
    private static func coordinate(_ p: Int, _ dim: Int, _ shape: [Int]) -> Int {
        (p / shape[(dim + 1)...].reduce(1, *)) % shape[dim]
    }
}
