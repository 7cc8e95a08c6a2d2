/// A nested array literal of numbers or booleans: `Tensor([[1, 2], [3, 4]])`, `let t: Tensor = [[0.5], [1]]`.
///
/// The dtype follows `torch.tensor`: any floating-point literal makes the tensor float32, integers only
/// make it int64, booleans only make it bool (booleans mixed with numbers count as 0 and 1). The shape is
/// the nesting: `[[1, 2], [3, 4]]` is `[2, 2]`; rows of different lengths (or a number beside a list)
/// stop with the path of the first mismatch.
///
/// A flat `Tensor([1.5, 2])` still takes the typed initializer (`[Double]` → float64); write
/// `[1.5, 2] as TensorLiteral` for float32.
public indirect enum TensorLiteral: ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, Sendable {
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case list([TensorLiteral])

    public init(arrayLiteral elements: TensorLiteral...) { self = .list(elements) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }

    /// The shape the nesting describes; stops on ragged rows.
    func shape(path: String = "") -> [Int] {
        guard case .list(let items) = self else { return [] }
        guard let first = items.first else { return [0] }
        let inner = first.shape(path: path + "[0]")
        for (i, item) in items.enumerated().dropFirst() {
            let s = item.shape(path: path + "[\(i)]")
            precondition(s == inner, "Tensor literal: \(path)[\(i)] has shape \(s) but \(path)[0] has shape \(inner)")
        }
        return [items.count] + inner
    }

    /// The leaves in row-major order.
    func leaves(into out: inout [TensorLiteral]) {
        if case .list(let items) = self { for item in items { item.leaves(into: &out) } } else { out.append(self) }
    }

    var asDouble: Double {
        switch self {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        case .boolean(let b): return b ? 1 : 0
        case .list: return .nan   // unreachable: leaves are scalars
        }
    }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// `let t: Tensor = [[1, 2], [3, 4]]` (see ``TensorLiteral``).
    public init(arrayLiteral elements: TensorLiteral...) {
        self.init(literal: .list(elements))
    }

    /// `Tensor([[1, 2], [3, 4]])`: a tensor from a nested array literal (see ``TensorLiteral``).
    public init(_ literal: TensorLiteral, device: Device? = nil) {
        self.init(literal: literal, device: device)
    }

    init(literal: TensorLiteral, device: Device? = nil) {
        let shape = literal.shape()
        var leaves: [TensorLiteral] = []
        leaves.reserveCapacity(shape.reduce(1, *))
        literal.leaves(into: &leaves)
        let hasFloat = leaves.contains { if case .float = $0 { true } else { false } }
        let allBool = !leaves.isEmpty && leaves.allSatisfy { if case .boolean = $0 { true } else { false } }
        if hasFloat || leaves.isEmpty {
            self.init(leaves.map { Float($0.asDouble) }, shape: shape, device: device)
        } else if allBool {
            self.init(leaves.map { $0.asDouble != 0 }, shape: shape, device: device)
        } else {
            self.init(leaves.map { leaf -> Int64 in
                if case .integer(let i) = leaf { Int64(i) } else { Int64(leaf.asDouble) }
            }, shape: shape, device: device)
        }
    }
}
