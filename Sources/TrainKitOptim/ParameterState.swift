import TrainKitCore

/// The state an `UpdateRule` keeps for one parameter (PyTorch's `optimizer.state[p]`): the step count, state
/// tensors shaped like the parameter (same dtype, same device) and a scalar.
///
/// Each state tensor has its own property, named after PyTorch's key (`expAvg` is `exp_avg`); a rule fills the
/// ones it uses on its first step and leaves the others nil:
///
/// | rule | tensors |
/// | --- | --- |
/// | `SGD` | `momentumBuffer` (μ ≠ 0) |
/// | `Adam`, `AdamW` | `expAvg`, `expAvgSq`, `maxExpAvgSq` (AMSGrad) |
/// | `Adamax` | `expAvg`, `expInf` |
/// | `NAdam` | `expAvg`, `expAvgSq`, and the scalar `muProduct` |
/// | `RAdam` | `expAvg`, `expAvgSq` |
/// | `RMSprop` | `squareAvg`, `gradAvg` (centered), `momentumBuffer` (μ > 0) |
/// | `Adagrad` | `sum` |
///
/// State tensors are values: a step replaces them (the composed path) or writes them in place when the state
/// holds the only reference (the fused CPU path), so a tensor taken from a state or a state dict never changes.
/// `Slot` names the tensors by their PyTorch keys for state dicts.
public struct ParameterState: Sendable {
    /// Steps taken so far (t after the t-th step).
    public var step: Int
    /// First moment m (`exp_avg`).
    public var expAvg: Tensor?
    /// Second moment v (`exp_avg_sq`).
    public var expAvgSq: Tensor?
    /// AMSGrad's running maximum of v (`max_exp_avg_sq`).
    public var maxExpAvgSq: Tensor?
    /// Adamax's infinity norm u (`exp_inf`).
    public var expInf: Tensor?
    /// SGD's and RMSprop's momentum buffer b (`momentum_buffer`).
    public var momentumBuffer: Tensor?
    /// RMSprop's average of g² (`square_avg`).
    public var squareAvg: Tensor?
    /// Centered RMSprop's average of g (`grad_avg`).
    public var gradAvg: Tensor?
    /// Adagrad's sum of g² (`sum`).
    public var sum: Tensor?
    /// NAdam's product of the momentum coefficients Πₜ (`mu_product`).
    public var muProduct: Double?

    /// An empty state (before the first step), or one restored from saved parts.
    public init(step: Int = 0, muProduct: Double? = nil) {
        self.step = step
        self.muProduct = muProduct
    }

    /// A state tensor's PyTorch key, as saved in state dicts (`state.<index>.<rawValue>`).
    public enum Slot: String, CaseIterable, Sendable {
        case expAvg = "exp_avg"
        case expAvgSq = "exp_avg_sq"
        case maxExpAvgSq = "max_exp_avg_sq"
        case expInf = "exp_inf"
        case momentumBuffer = "momentum_buffer"
        case squareAvg = "square_avg"
        case gradAvg = "grad_avg"
        case sum = "sum"

        /// The property holding this slot's tensor.
        var keyPath: WritableKeyPath<ParameterState, Tensor?> {
            switch self {
            case .expAvg: \.expAvg
            case .expAvgSq: \.expAvgSq
            case .maxExpAvgSq: \.maxExpAvgSq
            case .expInf: \.expInf
            case .momentumBuffer: \.momentumBuffer
            case .squareAvg: \.squareAvg
            case .gradAvg: \.gradAvg
            case .sum: \.sum
            }
        }
    }

    /// The tensor in `slot`, or nil.
    public subscript(slot: Slot) -> Tensor? {
        get { self[keyPath: slot.keyPath] }
        set { self[keyPath: slot.keyPath] = newValue }
    }

    /// The filled slots and their tensors, in `Slot` order.
    public var tensors: [(slot: Slot, tensor: Tensor)] {
        Slot.allCases.compactMap { slot in self[slot].map { (slot, $0) } }
    }

    /// The scalars by PyTorch key (`mu_product`), as state dicts save them.
    public var scalars: [String: Double] { muProduct.map { ["mu_product": $0] } ?? [:] }
}

extension ParameterState: Equatable {
    /// Equal steps and scalars, the same slots filled, and state tensors of equal shape, dtype and bit patterns.
    /// Reads the tensors to the host: for tests and diagnostics, not for a training loop.
    public static func == (a: ParameterState, b: ParameterState) -> Bool {
        guard a.step == b.step, a.muProduct?.bitPattern == b.muProduct?.bitPattern else { return false }
        return Slot.allCases.allSatisfy { slot in
            switch (a[slot], b[slot]) {
            case (nil, nil): true
            case (let x?, let y?): sameBits(x, y)
            default: false
            }
        }
    }
}

/// Whether `a` and `b` have the same shape, dtype and element bit patterns (read to the host).
func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.shape == b.shape, a.dtype == b.dtype else { return false }
    switch a.dtype {
    case .float32: return a.toArray(as: Float.self).map(\.bitPattern) == b.toArray(as: Float.self).map(\.bitPattern)
    case .float64: return a.toArray(as: Double.self).map(\.bitPattern) == b.toArray(as: Double.self).map(\.bitPattern)
    case .int32: return a.toArray(as: Int32.self) == b.toArray(as: Int32.self)
    case .int64: return a.toArray(as: Int64.self) == b.toArray(as: Int64.self)
    case .bool: return a.toArray(as: Bool.self) == b.toArray(as: Bool.self)
    }
}
