/// NumPy broadcasting: align trailing dimensions; a size-1 (or missing) dimension stretches.
public func broadcastShapes(_ a: [Int], _ b: [Int], op: StaticString = "broadcast") -> [Int] {
    if a == b { return a }
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        precondition(da == db || da == 1 || db == 1,
                     "\(op): shapes \(a) and \(b) cannot be broadcast together (dimension \(i): \(da) vs \(db))")
        out[i] = da == 1 ? db : da
    }
    return out
}

extension Tensor {
    /// Strides that read this tensor as if broadcast to `target` (0 on stretched dims).
    func broadcastStrides(to target: [Int]) -> [Int] {
        let pad = target.count - rank
        var s = [Int](repeating: 0, count: target.count)
        for i in 0..<rank where shape[i] != 1 || target[i + pad] == 1 {
            s[i + pad] = shape[i] == target[i + pad] ? strides[i] : 0
        }
        return s
    }
}

/// Merges adjacent dimensions that every operand walks contiguously, so kernels see the fewest dims.
/// `strides` holds one stride list per operand (output excluded: it is contiguous).
func coalesce(shape: [Int], strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    if shape.count <= 1 { return (shape.isEmpty ? [1] : shape, strides.map { $0.isEmpty ? [0] : $0 }) }
    var outShape = [shape[shape.count - 1]]
    var outStrides = strides.map { [$0[shape.count - 1]] }
    for d in stride(from: shape.count - 2, through: 0, by: -1) {
        let size = shape[d]
        if size == 1 { continue }
        let inner = outShape[0]
        var mergeable = true
        for k in 0..<strides.count where strides[k][d] != outStrides[k][0] * inner { mergeable = false; break }
        if mergeable {
            outShape[0] *= size
        } else {
            outShape.insert(size, at: 0)
            for k in 0..<strides.count { outStrides[k].insert(strides[k][d], at: 0) }
        }
    }
    return (outShape, outStrides)
}
