// MARK: - Gathering by index

extension Tensor {
    /// Entries of `dim` at the positions in `index` (int 1-d); repeated indices repeat rows.
    /// Shape: `shape` with `shape[dim]` replaced by `index.count`. The gradient of repeated indices adds up.
    public func indexSelect(_ dim: Int, _ index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "index_select")
        precondition(index.rank <= 1, "index_select: index must be 1-d, got shape \(index.shape)")
        let idx = index.toArray(as: Int64.self)
        let size = shape[d]
        for i in idx { precondition(i >= 0 && i < size, "index_select: index \(i) out of range for dimension \(dim) of size \(size)") }
        let x = contiguousData()
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        var outShape = shape
        outShape[d] = idx.count
        let out = Tensor(uninitialized: outShape, dtype: dtype)
        let es = dtype.byteSize, rowBytes = inner * es
        let src = x.rawBase, dst = out.rawBase
        for o in 0..<outer {
            for (j, i) in idx.enumerated() {
                (dst + (o * idx.count + j) * rowBytes).copyMemory(from: src + (o * size + Int(i)) * rowBytes, byteCount: rowBytes)
            }
        }
        let inputShape = shape
        return Tensor.record(out, op: "index_select", inputs: [self]) { g, _ in
            [Tensor.indexAdd(g, into: inputShape, dim: d, index: idx)]
        }
    }

    /// `zeros(shape)` with `g`'s slices added at `index` positions of `dim` (index_select's backward).
    static func indexAdd(_ g: Tensor, into shape: [Int], dim d: Int, index idx: [Int64]) -> Tensor {
        let out = Tensor.zeros(shape, dtype: g.dtype)
        let gc = g.contiguousData()
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *), size = shape[d]
        func run<T: BinaryFloatingPoint>(_: T.Type) {
            let src = gc.basePointer(T.self), dst = out.basePointer(T.self)
            for o in 0..<outer {
                for (j, i) in idx.enumerated() {
                    let s = src + (o * idx.count + j) * inner, t = dst + (o * size + Int(i)) * inner
                    for k in 0..<inner { t[k] += s[k] }
                }
            }
        }
        if g.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return out
    }

    /// `out[i][j]... = self[index[i][j]...][j]...` along `dim` (torch.gather). `index` has this tensor's rank
    /// and may be smaller in the other dimensions. Gradients scatter-add back.
    public func gather(_ dim: Int, _ index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "gather")
        precondition(index.rank == rank, "gather: index rank \(index.rank) differs from input rank \(rank) (shapes \(index.shape), \(shape))")
        for k in 0..<rank where k != d {
            precondition(index.shape[k] <= shape[k], "gather: index shape \(index.shape) exceeds input shape \(shape) in dimension \(k)")
        }
        let idx = index.toArray(as: Int64.self)
        let offsets = Tensor.gatherOffsets(indexShape: index.shape, index: idx, inputStrides: strides, dim: d, size: shape[d])
        let out = Tensor(uninitialized: index.shape, dtype: dtype)
        let es = dtype.byteSize
        let src = rawBase, dst = out.rawBase
        for (k, off) in offsets.enumerated() { (dst + k * es).copyMemory(from: src + off * es, byteCount: es) }
        let inputShape = shape
        return Tensor.record(out, op: "gather", inputs: [self]) { g, _ in
            let grad = Tensor.zeros(inputShape, dtype: g.dtype)
            let contiguousOffsets = Tensor.gatherOffsets(indexShape: g.shape, index: idx, inputStrides: grad.strides,
                                                         dim: d, size: inputShape[d])
            let gc = g.contiguousData()
            func run<T: BinaryFloatingPoint>(_: T.Type) {
                let s = gc.basePointer(T.self), t = grad.basePointer(T.self)
                for (k, off) in contiguousOffsets.enumerated() { t[off] += s[k] }
            }
            if g.dtype == .float32 { run(Float.self) } else { run(Double.self) }
            return [grad]
        }
    }

    /// Element offsets (relative to the base) read by gather for every index position, row-major.
    static func gatherOffsets(indexShape: [Int], index: [Int64], inputStrides: [Int], dim: Int, size: Int) -> [Int] {
        let rank = indexShape.count
        var offsets = [Int](repeating: 0, count: index.count)
        var coord = [Int](repeating: 0, count: rank)
        for k in 0..<index.count {
            let i = Int(index[k])
            precondition(i >= 0 && i < size, "gather: index \(i) out of range for dimension \(dim) of size \(size)")
            var off = 0
            for r in 0..<rank { off += (r == dim ? i : coord[r]) * inputStrides[r] }
            offsets[k] = off
            var r = rank - 1
            while r >= 0 {
                coord[r] += 1
                if coord[r] < indexShape[r] { break }
                coord[r] = 0
                r -= 1
            }
        }
        return offsets
    }

    /// One-hot encoding of int labels: shape `shape + [classes]`, float32.
    public func oneHot(_ classes: Int, dtype: DType = .float32) -> Tensor {
        let labels = toArray(as: Int64.self)
        var values = [Float](repeating: 0, count: labels.count * classes)
        for (i, l) in labels.enumerated() {
            precondition(l >= 0 && Int(l) < classes, "oneHot: label \(l) out of range for \(classes) classes")
            values[i * classes + Int(l)] = 1
        }
        return Tensor(values, shape: shape + [classes]).to(dtype)
    }
}
