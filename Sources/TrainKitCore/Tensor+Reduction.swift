extension Tensor {
    /// Normalized, sorted, unique reduction dims (`nil` = all).
    func reductionDims(_ dims: [Int]?, op: StaticString) -> [Int] {
        guard let dims else { return Array(0..<rank) }
        return Array(Set(dims.map { normalizeDim($0, rank: rank, op: op) })).sorted()
    }

    /// Shape with the reduced dims kept as size 1.
    func keptShape(_ dims: [Int]) -> [Int] {
        var s = shape
        for d in dims { s[d] = 1 }
        return s
    }

    /// Runs a reduction kernel over `dims` (sorted), returning the keepdim-shaped result (no autograd).
    func reduceKernel(_ op: ReduceOp, dims: [Int], name: StaticString) -> Tensor {
        precondition(dtype.isFloatingPoint, "\(name): needs a float tensor, got \(dtype)")
        var current = contiguousData()
        var curShape = shape
        // Reduce runs of adjacent dims from the last run to the first.
        var i = dims.count - 1
        while i >= 0 {
            var start = dims[i]
            let end = dims[i]
            while i > 0 && dims[i - 1] == start - 1 { i -= 1; start = dims[i] }
            i -= 1
            let outer = curShape[..<start].reduce(1, *)
            let reduce = curShape[start...end].reduce(1, *)
            let inner = curShape[(end + 1)...].reduce(1, *)
            for d in start...end { curShape[d] = 1 }
            if reduce == 1 { continue }
            precondition(reduce > 0 || op == .sum || op == .prod, "\(name): reducing an empty dimension")
            let out = uninitializedLike(curShape)
            backend.reduce(op, dtype, outer: outer, extent: reduce, inner: inner, x: current.address, out: out.address)
            current = out
        }
        return current.view(shape: curShape, strides: Tensor.contiguousStrides(curShape), offset: current.offset)
    }

    /// Sum over `dims` (all when nil).
    public func sum(_ dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let dims = reductionDims(dims, op: "sum")
        let x = dtype.isFloatingPoint ? self : to(.float32)
        let kept = x.reduceKernel(.sum, dims: dims, name: "sum")
        let out = keepDim ? kept : kept.reshape(x.keptShape(dims).enumerated().filter { !dims.contains($0.offset) }.map(\.element))
        let inputShape = shape, keepShape = kept.shape
        return Tensor.record(out, op: "sum", x) { g, _ in [g.reshape(keepShape).expand(inputShape)] }
    }
    public func sum(_ dim: Int, keepDim: Bool = false) -> Tensor { sum([dim], keepDim: keepDim) }

    /// Mean over `dims` (all when nil).
    public func mean(_ dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let d = reductionDims(dims, op: "mean")
        let n = d.map { shape[$0] }.reduce(1, *)
        return sum(d, keepDim: keepDim) * (1.0 / Double(n))
    }
    public func mean(_ dim: Int, keepDim: Bool = false) -> Tensor { mean([dim], keepDim: keepDim) }

    /// Largest value over `dims` (torch `amax`); ties share the gradient equally.
    public func max(_ dims: [Int]? = nil, keepDim: Bool = false) -> Tensor { extremum(.max, dims, keepDim, "max") }
    public func max(_ dim: Int, keepDim: Bool = false) -> Tensor { max([dim], keepDim: keepDim) }
    /// Smallest value over `dims` (torch `amin`).
    public func min(_ dims: [Int]? = nil, keepDim: Bool = false) -> Tensor { extremum(.min, dims, keepDim, "min") }
    public func min(_ dim: Int, keepDim: Bool = false) -> Tensor { min([dim], keepDim: keepDim) }

    private func extremum(_ op: ReduceOp, _ dims: [Int]?, _ keepDim: Bool, _ name: StaticString) -> Tensor {
        let d = reductionDims(dims, op: name)
        let kept = reduceKernel(op, dims: d, name: name)
        let out = keepDim ? kept : kept.reshape(shape.enumerated().filter { !d.contains($0.offset) }.map(\.element))
        let x = self, keepShape = kept.shape
        return Tensor.record(out, op: name, self) { g, _ in
            let mask = (x .== kept).to(g.dtype)
            let share = mask / mask.sum(d, keepDim: true)
            return [g.reshape(keepShape) * share]
        }
    }

    /// log Σ exp over `dims`, computed stably as m + log Σ exp(x - m) with m the (constant) maximum.
    public func logsumexp(_ dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let d = reductionDims(dims, op: "logsumexp")
        let m = noGrad { max(d, keepDim: true) }.detach()
        let r = (self - m).exp().sum(d, keepDim: true).log() + m
        return keepDim ? r : r.reshape(shape.enumerated().filter { !d.contains($0.offset) }.map(\.element))
    }
    public func logsumexp(_ dim: Int, keepDim: Bool = false) -> Tensor { logsumexp([dim], keepDim: keepDim) }

    /// Variance over `dims` with divisor `n - correction` (0: population, 1: sample).
    public func variance(_ dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        let d = reductionDims(dims, op: "var")
        let n = d.map { shape[$0] }.reduce(1, *)
        let centered = self - mean(d, keepDim: true)
        return centered.square().sum(d, keepDim: keepDim) * (1.0 / Double(Swift.max(n - correction, 0)))
    }

    /// Standard deviation: `sqrt(variance)`.
    public func std(_ dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        variance(dims, correction: correction, keepDim: keepDim).sqrt()
    }

    /// Index of the (first) largest value along `dim`, or into the row-major flattening when `dim` is nil.
    public func argmax(_ dim: Int? = nil, keepDim: Bool = false) -> Tensor { argExtremum(dim, keepDim, isMin: false) }
    /// Index of the (first) smallest value.
    public func argmin(_ dim: Int? = nil, keepDim: Bool = false) -> Tensor { argExtremum(dim, keepDim, isMin: true) }

    private func argExtremum(_ dim: Int?, _ keepDim: Bool, isMin: Bool) -> Tensor {
        let x = (dtype.isFloatingPoint ? self : to(.float64)).contiguousData()
        guard let dim else {
            let out = uninitializedLike(keepDim ? shape.map { _ in 1 } : [], dtype: .int64)
            backend.argReduce(isMin: isMin, x.dtype, outer: 1, extent: count, inner: 1, x: x.address, out: out.address)
            return out
        }
        let d = normalizeDim(dim, rank: rank, op: "argmax")
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        var outShape = shape
        if keepDim { outShape[d] = 1 } else { outShape.remove(at: d) }
        let out = uninitializedLike(outShape, dtype: .int64)
        backend.argReduce(isMin: isMin, x.dtype, outer: outer, extent: shape[d], inner: inner, x: x.address,
                          out: out.address)
        return out
    }

    /// Sums a broadcast gradient back to `target` (the inverse of broadcasting `target` to this shape).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let pad = rank - target.count
        precondition(pad >= 0, "sumToShape: cannot reduce \(shape) to the larger rank of \(target)")
        var dims = Array(0..<pad)
        for i in 0..<target.count where target[i] == 1 && shape[i + pad] != 1 { dims.append(i + pad) }
        let reduced = dims.isEmpty ? self : sum(dims, keepDim: true)
        return reduced.reshape(target)
    }
}
