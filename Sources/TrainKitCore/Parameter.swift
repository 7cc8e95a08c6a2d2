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
    package func updateInPlace(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
        precondition(data.dtype == .float32, "updateInPlace: parameter is \(data.dtype)")
        withWritableValue { value in body(value.address.assumingMemoryBound(to: Float.self), value.count) }
    }

    /// Calls `body` with the value, whose buffer `body` may then write in place (through `value.address`, on
    /// the value's device, any dtype): the buffer is made contiguous, at offset 0 and referenced by this
    /// parameter alone first, copied when anything else (a view, a saved tensor, a state dict) still holds it,
    /// so those keep the old values. The optimizer's fused steps write parameters this way.
    package func withWritableValue<R>(_ body: (_ value: Tensor) throws -> R) rethrows -> R {
        data.makeWritableInPlace()
        return try body(data)
    }
}

extension Tensor {
    /// A copy in a new buffer (contiguous, detached).
    public func copied() -> Tensor {
        let out = uninitializedLike(shape)
        copyStrided(into: out.address)
        return out
    }

    /// Makes this tensor's buffer safe to write in place: contiguous, at offset 0 and referenced by this
    /// value alone (`isKnownUniquelyReferenced`), copied into a new buffer when it is not; detached either
    /// way. Optimizer state tensors go through this before a fused step writes them.
    package mutating func makeWritableInPlace() {
        node = nil
        if !(isContiguous && offset == 0 && isKnownUniquelyReferenced(&storage)) {
            // The copy keeps the buffer's kind: long-lived state stays out of the pool.
            let out = Tensor(uninitialized: shape, dtype: dtype, on: storage.backend, longLived: storage.isLongLived)
            copyStrided(into: out.address)
            self = out
        }
    }
}
