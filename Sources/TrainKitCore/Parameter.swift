/// A trainable tensor: the one place where values change during training.
///
/// A `Parameter` keeps a leaf of the autograd graph; `value` is what layers compute with, `grad` is filled
/// by `backward()` and cleared by `zeroGrad()`. Optimizer steps and checkpoint loads replace the value
/// (writing in place when nothing else holds the buffer), keeping the same leaf.
public final class Parameter: @unchecked Sendable {
    private var data: Tensor
    let leaf: GradNode
    /// Whether the optimizer updates this parameter (false = frozen; it gets no gradient).
    public var isTrainable: Bool = true

    public init(_ value: Tensor) {
        precondition(value.dtype.isFloatingPoint, "Parameter: needs a float tensor, got \(value.dtype)")
        data = value.detach()
        leaf = GradNode(leaf: ())
    }

    /// The current value, recorded as a leaf when autograd is on and the parameter is trainable.
    public var value: Tensor {
        get {
            var t = data
            if isTrainable { t.node = leaf }
            return t
        }
        set {
            data = newValue.detach()
        }
    }

    /// The current value without autograd tracking.
    public var detachedValue: Tensor { data }
    public var shape: [Int] { data.shape }
    public var count: Int { data.count }

    /// The accumulated gradient, or nil.
    public var grad: Tensor? {
        get { leaf.grad }
        set { leaf.grad = newValue }
    }

    public func zeroGrad() { leaf.grad = nil }

    /// Calls `body` with a pointer to the value's float32 elements for an in-place update. The buffer is
    /// copied first when anything else (a view, a saved tensor) still references it.
    public func updateInPlace(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
        precondition(data.dtype == .float32, "updateInPlace: parameter is \(data.dtype)")
        if !(data.isContiguous && data.offset == 0 && isKnownUniquelyReferenced(&data.storage)) {
            data = data.contiguousData().copied()
        }
        body(data.address.assumingMemoryBound(to: Float.self), data.count)
    }
}

extension Tensor {
    /// A copy in a new buffer (contiguous, detached).
    public func copied() -> Tensor {
        let out = uninitializedLike(shape)
        copyStrided(into: out.address)
        return out
    }
}
