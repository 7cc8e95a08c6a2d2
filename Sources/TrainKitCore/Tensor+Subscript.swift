/// One item of a tensor subscript, as PyTorch and NumPy read them.
///
/// | Swift | PyTorch | effect on the dimension |
/// |---|---|---|
/// | `x[2]`, `x[-1]` | `x[2]`, `x[-1]` | selects one index and removes the dimension |
/// | `x[1..<3]`, `x[1...2]` | `x[1:3]` | keeps indices 1 and 2 |
/// | `x[1...]`, `x[..<3]`, `x[...2]` | `x[1:]`, `x[:3]`, `x[:3]` | open-ended ranges |
/// | `x[.all]` | `x[:]` | the whole dimension |
/// | `x[.stride(0, nil, by: 2)]` | `x[0::2]` | every second index (step ≥ 1) |
/// | `x[..., 0]` | `x[..., 0]` | `...` stands for as many whole dimensions as needed (at most one `...`) |
/// | `x[.newAxis, 0]` | `x[None, 0]` | inserts a dimension of size 1 |
///
/// Integers and range bounds may be negative (counted from the end). Range bounds past the end are
/// clamped as Python slices are; an integer out of range stops with the dimension and its size. Every
/// result is a view that shares storage, and gradients flow back through it.
public struct TensorIndex: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int)
        case ellipsis
        case newAxis
    }
    let kind: Kind

    public var description: String {
        switch kind {
        case .index(let i): return "\(i)"
        case .slice(let start, let end, let step):
            let s = "\(start.map(String.init) ?? ""):\(end.map(String.init) ?? "")"
            return step == 1 ? s : "\(s):\(step)"
        case .ellipsis: return "..."
        case .newAxis: return "None"
        }
    }
}

/// A value that can stand in a tensor subscript: `Int`, the integer ranges, or a ``TensorIndex``.
public protocol TensorIndexConvertible {
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// The whole dimension (`:` in PyTorch).
    public static var all: TensorIndex { TensorIndex(kind: .slice(start: nil, end: nil, step: 1)) }
    /// A new dimension of size 1 (`None` in PyTorch).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
    /// As many whole dimensions as needed (`...`); write `...` directly where the subscript allows it.
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }
    /// `start:end:step` in PyTorch: indices `start, start+step, …` below `end` (nil: the ends).
    public static func stride(_ start: Int?, _ end: Int?, by step: Int) -> TensorIndex {
        TensorIndex(kind: .slice(start: start, end: end, step: step))
    }
}

extension Int: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { TensorIndex(kind: .index(self)) }
}

extension Range<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: lowerBound, end: upperBound, step: 1)) }
}

extension ClosedRange<Int>: TensorIndexConvertible {
    /// `a...b` keeps `b`; with a negative `b` of -1 it runs to the end.
    public var tensorIndex: TensorIndex {
        TensorIndex(kind: .slice(start: lowerBound, end: upperBound == -1 ? nil : upperBound + 1, step: 1))
    }
}

extension PartialRangeFrom<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: lowerBound, end: nil, step: 1)) }
}

extension PartialRangeUpTo<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: nil, end: upperBound, step: 1)) }
}

extension PartialRangeThrough<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex {
        TensorIndex(kind: .slice(start: nil, end: upperBound == -1 ? nil : upperBound + 1, step: 1))
    }
}

extension Tensor {
    /// `x[0]`, `x[1..<3, 2]`, `x[.all, .newAxis]`: the view PyTorch's `x[...]` returns (see ``TensorIndex``).
    public subscript(_ items: any TensorIndexConvertible...) -> Tensor {
        indexed(items.map(\.tensorIndex))
    }

    /// `x[..., 0]`, `x[...]`: `...` fills the leading dimensions.
    public subscript(_ ellipsis: UnboundedRange, _ rest: any TensorIndexConvertible...) -> Tensor {
        indexed([.ellipsis] + rest.map(\.tensorIndex))
    }

    /// `x[0, ...]`, `x[0, ..., 1]`.
    public subscript(_ first: any TensorIndexConvertible, _ ellipsis: UnboundedRange,
                     _ rest: any TensorIndexConvertible...) -> Tensor {
        indexed([first.tensorIndex, .ellipsis] + rest.map(\.tensorIndex))
    }

    /// `x[0, 1, ...]`, `x[0, 1, ..., 2]`.
    public subscript(_ first: any TensorIndexConvertible, _ second: any TensorIndexConvertible,
                     _ ellipsis: UnboundedRange, _ rest: any TensorIndexConvertible...) -> Tensor {
        indexed([first.tensorIndex, second.tensorIndex, .ellipsis] + rest.map(\.tensorIndex))
    }

    /// Applies subscript items left to right: each index or slice consumes one dimension, `...` the
    /// dimensions no other item names, `newAxis` none.
    public func indexed(_ items: [TensorIndex]) -> Tensor {
        let ellipses = items.filter { if case .ellipsis = $0.kind { true } else { false } }.count
        precondition(ellipses <= 1, "subscript \(Self.describe(items)): at most one '...' is allowed")
        let consuming = items.filter {
            switch $0.kind { case .index, .slice: true; case .ellipsis, .newAxis: false }
        }.count
        precondition(consuming <= rank,
                     "subscript \(Self.describe(items)): \(consuming) indices for a tensor of rank \(rank) (shape \(shape))")
        var result = self
        var dim = 0   // the result's dimension the next item applies to
        for item in items {
            switch item.kind {
            case .ellipsis:
                dim += rank - consuming
            case .newAxis:
                result = result.unsqueeze(dim)
                dim += 1
            case .index(let i):
                let size = result.shape[dim]
                let j = i < 0 ? i + size : i
                precondition(j >= 0 && j < size,
                             "subscript \(Self.describe(items)): index \(i) out of range for dimension \(dim) of size \(size) (shape \(shape))")
                result = result.select(dim, j)
            case .slice(let start, let end, let step):
                precondition(step >= 1, "subscript \(Self.describe(items)): step must be at least 1, got \(step)")
                result = result.slice(dim, start: start, end: end, step: step)
                dim += 1
            }
        }
        return result
    }

    /// Indices `start, start+step, …` below `end` of dimension `dim`, clamped to the dimension as Python
    /// slices are (negative bounds count from the end; nil means the end). A view; its gradient is
    /// scattered back into a zero tensor of the input's shape.
    public func slice(_ dim: Int, start: Int? = nil, end: Int? = nil, step: Int = 1) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "slice")
        precondition(step >= 1, "slice: step must be at least 1, got \(step)")
        let size = shape[d]
        func clamp(_ bound: Int?, default value: Int) -> Int {
            guard let b = bound else { return value }
            return Swift.min(Swift.max(b < 0 ? b + size : b, 0), size)
        }
        let lower = clamp(start, default: 0), upper = clamp(end, default: size)
        let length = upper > lower ? (upper - lower + step - 1) / step : 0
        if step == 1 { return narrow(d, start: lower, length: length) }
        var newShape = shape, newStrides = strides
        newShape[d] = length
        newStrides[d] = strides[d] * step
        let out = view(shape: newShape, strides: newStrides, offset: offset + lower * strides[d])
        let inputShape = shape
        return Tensor.record(out, op: "slice", self) { g, _ in
            [Tensor.embed(g, inShape: inputShape, dim: d, start: lower, step: step)]
        }
    }

    static func describe(_ items: [TensorIndex]) -> String {
        "[" + items.map(\.description).joined(separator: ", ") + "]"
    }
}
