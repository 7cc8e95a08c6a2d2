/// Normalizes a possibly negative dimension index (Python style) for a tensor of `rank`.
@inlinable func normalizeDim(_ dim: Int, rank: Int, op: StaticString) -> Int {
    let d = dim < 0 ? dim + rank : dim
    precondition(d >= 0 && d < max(rank, 1), "\(op): dimension \(dim) out of range for rank \(rank)")
    return d
}

// MARK: - Views

extension Tensor {
    /// A view with the same storage and a new layout (no autograd record).
    func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// The same elements in `shape` (one entry may be -1). A view when the data is contiguous.
    public func reshape(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) into \(newShape)")
            target[unknown] = count / known
        }
        precondition(target.reduce(1, *) == count, "reshape: cannot reshape \(shape) (\(count) elements) into \(newShape)")
        if target == shape { return self }
        let base = contiguous()
        let out = base.view(shape: target, strides: Tensor.contiguousStrides(target), offset: base.offset)
        let original = shape
        return Tensor.record(out, op: "reshape", base) { g, _ in [g.reshape(original)] }
    }

    /// Reorders dimensions: result dimension i is input dimension `dims[i]`.
    public func permute(_ dims: [Int]) -> Tensor {
        precondition(dims.count == rank, "permute: \(dims.count) dims given for a tensor of rank \(rank)")
        let dims = dims.map { normalizeDim($0, rank: rank, op: "permute") }
        precondition(Set(dims).count == rank, "permute: \(dims) is not a permutation")
        let out = view(shape: dims.map { shape[$0] }, strides: dims.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        return Tensor.record(out, op: "permute", self) { g, _ in [g.permute(inverse)] }
    }

    /// Swaps two dimensions.
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        var dims = Array(0..<rank)
        dims.swapAt(normalizeDim(dim0, rank: rank, op: "transpose"), normalizeDim(dim1, rank: rank, op: "transpose"))
        return permute(dims)
    }

    /// The transpose of a matrix (the last two dims swapped for higher ranks).
    public var T: Tensor { rank < 2 ? self : transpose(-2, -1) }

    /// `length` elements of `dim` starting at `start` (a view).
    public func narrow(_ dim: Int, start: Int, length: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "narrow")
        let start = start < 0 ? start + shape[d] : start
        precondition(start >= 0 && length >= 0 && start + length <= shape[d],
                     "narrow: range \(start)..<\(start + length) out of bounds for dimension \(dim) of size \(shape[d])")
        var newShape = shape
        newShape[d] = length
        let out = view(shape: newShape, strides: strides, offset: offset + start * strides[d])
        let inputShape = shape
        return Tensor.record(out, op: "narrow", self) { g, _ in
            [Tensor.embed(g, inShape: inputShape, dim: d, start: start)]
        }
    }

    /// Index `index` of dimension `dim`, with that dimension removed.
    public func select(_ dim: Int, _ index: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "select")
        return narrow(d, start: index, length: 1).squeeze(d)
    }

    /// A zero tensor of `inShape` with `g` written at indices `start, start+step, …` along `dim` (the backward of
    /// narrow, and of a strided slice).
    static func embed(_ g: Tensor, inShape: [Int], dim: Int, start: Int, step: Int = 1) -> Tensor {
        let out = Tensor.zeros(inShape, dtype: g.dtype, like: g)
        var strides = out.strides
        strides[dim] *= step
        let region = out.view(shape: g.shape, strides: strides, offset: start * out.strides[dim])
        region.assign(from: g)
        return out
    }

    /// Writes `source` (same shape) into this view's elements. Internal: only for freshly made buffers.
    func assign(from source: Tensor) {
        precondition(source.shape == shape, "assign: shape \(source.shape) into \(shape)")
        let src = source.to(dtype).contiguousData()
        let backend = Tensor.commonBackend(self, src, op: "assign")
        backend.copyToStrided(elementSize: dtype.byteSize, shape: shape, source: src.address, destination: address,
                              strides: strides)
    }

    /// Broadcasts to `shape` without copying (-1 keeps a dimension; new leading dims allowed).
    public func expand(_ target: [Int]) -> Tensor {
        precondition(target.count >= rank, "expand: cannot expand \(shape) to fewer dimensions \(target)")
        let pad = target.count - rank
        var newShape = target
        var newStrides = [Int](repeating: 0, count: target.count)
        for i in 0..<target.count {
            if i < pad {
                precondition(target[i] >= 0, "expand: -1 is not allowed for a new leading dimension in \(target)")
                continue
            }
            let size = shape[i - pad]
            if target[i] == -1 || target[i] == size {
                newShape[i] = size
                newStrides[i] = strides[i - pad]
            } else {
                precondition(size == 1, "expand: dimension \(i - pad) of size \(size) cannot expand to \(target[i]) (shape \(shape) to \(target))")
            }
        }
        if newShape == shape { return self }
        let out = view(shape: newShape, strides: newStrides, offset: offset)
        return Tensor.record(out, op: "expand", self) { g, _ in [g] }  // summed back by record
    }

    /// Removes size-1 dimensions: all of them (`dims` nil) or the listed ones that have size 1.
    public func squeeze(_ dims: [Int]? = nil) -> Tensor {
        let selected = Set((dims ?? Array(0..<rank)).map { normalizeDim($0, rank: rank, op: "squeeze") })
        let newShape = shape.enumerated().filter { !(selected.contains($0.offset) && $0.element == 1) }.map(\.element)
        return reshape(newShape)
    }
    public func squeeze(_ dim: Int) -> Tensor { squeeze([dim]) }

    /// Inserts a size-1 dimension at `dim` (in `0...rank`, negative counts from the end).
    public func unsqueeze(_ dim: Int) -> Tensor {
        let d = dim < 0 ? dim + rank + 1 : dim
        precondition(d >= 0 && d <= rank, "unsqueeze: dimension \(dim) out of range for rank \(rank)")
        var newShape = shape
        newShape.insert(1, at: d)
        return reshape(newShape)
    }

    /// Merges dimensions `startDim...endDim` into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if rank == 0 { return reshape([1]) }
        let s = normalizeDim(startDim, rank: rank, op: "flatten"), e = normalizeDim(endDim, rank: rank, op: "flatten")
        precondition(s <= e, "flatten: start_dim \(startDim) after end_dim \(endDim)")
        let merged = shape[s...e].reduce(1, *)
        return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }
}

// MARK: - Joining and padding

extension Tensor {
    /// Joins tensors along an existing dimension; all other dimensions must match.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "cat: needs at least one tensor")
        let first = tensors[0]
        let d = normalizeDim(dim, rank: first.rank, op: "cat")
        var dtype = first.dtype
        for t in tensors { dtype = DType.promoted(dtype, t.dtype) }
        var outShape = first.shape
        outShape[d] = 0
        for t in tensors {
            precondition(t.rank == first.rank, "cat: tensors of rank \(first.rank) and \(t.rank) (shapes \(first.shape), \(t.shape))")
            for k in 0..<t.rank where k != d {
                precondition(t.shape[k] == first.shape[k],
                             "cat: shapes \(first.shape) and \(t.shape) differ outside dimension \(dim)")
            }
            outShape[d] += t.shape[d]
        }
        let out = Tensor(uninitialized: outShape, dtype: dtype, on: first.backend)
        var start = 0
        var starts: [Int] = []
        for t in tensors {
            starts.append(start)
            out.view(shape: t.shape, strides: out.strides, offset: start * out.strides[d]).assign(from: t)
            start += t.shape[d]
        }
        let lengths = tensors.map { $0.shape[d] }
        return record(out, op: "cat", inputs: tensors) { g, _ in
            (0..<lengths.count).map { i in g.narrow(d, start: starts[i], length: lengths[i]).contiguous() }
        }
    }

    /// Joins same-shaped tensors along a new dimension `dim` (in `0...rank`).
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        for t in tensors {
            precondition(t.shape == tensors[0].shape, "stack: shapes \(tensors[0].shape) and \(t.shape) differ")
        }
        return cat(tensors.map { $0.unsqueeze(dim) }, dim: dim < 0 ? dim + tensors[0].rank + 1 : dim)
    }

    /// Constant padding. `pads` lists (before, after) pairs starting from the **last** dimension, as in
    /// `torch.nn.functional.pad`: `[lastLeft, lastRight, secondLastLeft, ...]`.
    public func pad(_ pads: [Int], value: Double = 0) -> Tensor {
        precondition(pads.count % 2 == 0 && pads.count / 2 <= rank, "pad: \(pads.count) pad values for rank \(rank)")
        precondition(pads.allSatisfy { $0 >= 0 }, "pad: negative padding \(pads) is not supported")
        var outShape = shape
        var begins = [Int](repeating: 0, count: rank)
        for p in 0..<(pads.count / 2) {
            let d = rank - 1 - p
            outShape[d] += pads[2 * p] + pads[2 * p + 1]
            begins[d] = pads[2 * p]
        }
        let out = Tensor.full(value, shape: outShape, dtype: dtype, on: backend)
        let interiorOffset = zip(begins, out.strides).map(*).reduce(0, +)
        out.view(shape: shape, strides: out.strides, offset: interiorOffset).assign(from: self)
        let inputShape = shape
        return Tensor.record(out, op: "pad", self) { g, _ in
            var r = g
            for d in 0..<inputShape.count where begins[d] != 0 || r.shape[d] != inputShape[d] {
                r = r.narrow(d, start: begins[d], length: inputShape[d])
            }
            return [r.contiguous()]
        }
    }
}
