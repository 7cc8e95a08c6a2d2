// MARK: - Gathering by index

extension Tensor {
    /// Entries of `dim` at the positions in `index` (int 1-d); repeated indices repeat rows.
    /// Shape: `shape` with `shape[dim]` replaced by `index.count`. The gradient of repeated indices adds up.
    /// The index stays on the device: the backend checks its range while it selects.
    public func indexSelect(_ dim: Int, _ index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "index_select")
        precondition(index.rank <= 1, "index_select: index must be 1-d, got shape \(index.shape)")
        let idx = index.asIndex(op: "index_select")
        let backend = Tensor.commonBackend(self, idx, op: "index_select")
        let x = contiguousData()
        let size = shape[d], outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        var outShape = shape
        outShape[d] = idx.count
        let out = uninitializedLike(outShape)
        if let bad = backend.indexSelect(elementSize: dtype.byteSize, outer: outer, extent: size, inner: inner,
                                         source: x.address, index: idx.address, count: idx.count,
                                         destination: out.address) {
            preconditionFailure("index_select: index \(bad) out of range for dimension \(dim) of size \(size)")
        }
        let inputShape = shape
        return Tensor.record(out, op: "index_select", self) { g, _ in
            [Tensor.indexAdd(g, into: inputShape, dim: d, index: idx)]
        }
    }

    /// `zeros(shape)` with `g`'s slices added at `index` positions of `dim` (index_select's backward).
    /// `index` is a contiguous int64 tensor whose range was checked.
    package static func indexAdd(_ g: Tensor, into shape: [Int], dim d: Int, index idx: Tensor) -> Tensor {
        let out = Tensor.zeros(shape, dtype: g.dtype, like: g)
        let gc = g.contiguousData()
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        g.backend.indexAdd(g.dtype, outer: outer, extent: shape[d], inner: inner, source: gc.address,
                           index: idx.address, count: idx.count, destination: out.address)
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
        let idx = index.asIndex(op: "gather")
        let backend = Tensor.commonBackend(self, idx, op: "gather")
        let out = uninitializedLike(index.shape)
        if let bad = backend.gather(elementSize: dtype.byteSize, indexShape: index.shape, index: idx.address, dim: d,
                                    extent: shape[d], source: address, sourceStrides: strides, destination: out.address) {
            preconditionFailure("gather: index \(bad) out of range for dimension \(dim) of size \(shape[d])")
        }
        let inputShape = shape
        return Tensor.record(out, op: "gather", self) { g, _ in
            let grad = Tensor.zeros(inputShape, dtype: g.dtype, like: g)
            let gc = g.contiguousData()
            g.backend.scatterAdd(g.dtype, indexShape: gc.shape, index: idx.address, dim: d, source: gc.address,
                                 destination: grad.address, destinationStrides: grad.strides)
            return [grad]
        }
    }

    /// This tensor as a contiguous int64 index (converted on the device when it is int32).
    package func asIndex(op: StaticString) -> Tensor {
        switch dtype {
        case .int64: return contiguousData()
        case .int32: return to(.int64)
        case .float32, .float64, .bool: preconditionFailure("\(op): index must be int32 or int64, got \(dtype)")
        }
    }

    /// One-hot encoding of int labels: shape `shape + [classes]` (float32 by default). A label outside
    /// `0..<classes` stops with its value.
    public func oneHot(_ classes: Int, dtype: DType = .float32) -> Tensor {
        let labels = asIndex(op: "oneHot")
        let out = Tensor.zeros(shape + [classes], dtype: dtype, like: self)
        let ones = Tensor.full(1, shape: shape + [1], dtype: dtype, on: backend)
        // Scatter 1 into position `label` of each row: the adjoint of gathering one column per row.
        let rows = out.reshape([count, classes]), index = labels.reshape([count, 1])
        if let bad = backend.gather(elementSize: dtype.byteSize, indexShape: [count, 1], index: index.address, dim: 1,
                                    extent: classes, source: rows.address, sourceStrides: rows.strides,
                                    destination: Tensor.zeros([count, 1], dtype: dtype, like: self).address) {
            preconditionFailure("oneHot: label \(bad) out of range for \(classes) classes")
        }
        switch dtype {
        case .float32, .float64:
            backend.scatterAdd(dtype, indexShape: [count, 1], index: index.address, dim: 1, source: ones.address,
                               destination: rows.address, destinationStrides: rows.strides)
            return out
        case .int32, .int64, .bool:
            return oneHot(classes, dtype: .float32).to(dtype)
        }
    }
}
