/// The element type of a ``Tensor``.
///
/// `float32` is the compute type; `float64` serves references and gradient checks; `int32`/`int64` hold
/// indices and labels; `bool` holds masks (one byte per element).
public enum DType: Int, Sendable, CaseIterable, CustomStringConvertible {
    case float32 = 0, float64 = 1, int32 = 2, int64 = 3, bool = 4

    /// Bytes per element.
    @inlinable public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        }
    }

    /// Whether gradients can flow through tensors of this type.
    @inlinable public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .int32: "int32"
        case .int64: "int64"
        case .bool: "bool"
        }
    }

    /// The safetensors dtype string (`F32`, `F64`, `I32`, `I64`, `BOOL`).
    public var safetensorsName: String {
        switch self {
        case .float32: "F32"
        case .float64: "F64"
        case .int32: "I32"
        case .int64: "I64"
        case .bool: "BOOL"
        }
    }

    /// PyTorch's promotion categories, lowest first: an operand of a higher category decides the kind of the
    /// result whatever the widths (`bool < integer < floating`).
    enum PromotionCategory: Int, Comparable {
        case bool, integer, floating
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    var promotionCategory: PromotionCategory {
        switch self {
        case .bool: .bool
        case .int32, .int64: .integer
        case .float32, .float64: .floating
        }
    }

    /// The float dtype that integer and bool operands become when a Swift `Double` or a true division
    /// meets them (PyTorch's default dtype).
    public static let defaultFloat: DType = .float32

    /// The dtype of `a op b` for two dimensioned (or two 0-d) tensors: the higher category wins, then the
    /// wider type (`bool < int32 < int64 < float32 < float64`), as `torch.promote_types`.
    package static func promoted(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a == .float64 || b == .float64 { return .float64 }
        if a == .float32 || b == .float32 { return .float32 }
        if a == .int64 || b == .int64 { return .int64 }
        if a == .int32 || b == .int32 { return .int32 }
        return .bool
    }

    /// The dtype of a binary op between tensors (`torch.result_type`): a 0-d operand joins the promotion only
    /// when its category is higher than the dimensioned operand's (`float32 [n] + float64 0-d → float32`,
    /// `int32 [n] + float64 0-d → float64`); otherwise ``promoted(_:_:)``.
    static func resultType(_ a: DType, zeroDim aIsZeroDim: Bool, _ b: DType, zeroDim bIsZeroDim: Bool) -> DType {
        if aIsZeroDim == bIsZeroDim { return promoted(a, b) }
        let (dimensioned, zeroDim) = aIsZeroDim ? (b, a) : (a, b)
        return zeroDim.promotionCategory > dimensioned.promotionCategory ? promoted(dimensioned, zeroDim) : dimensioned
    }

    /// The dtype of `tensor op x` for a Swift `Double` `x` (a "wrapped number"): it never widens a float
    /// tensor (`float32 + 2.5 → float32`); integer and bool tensors become ``defaultFloat``.
    static func withDouble(_ t: DType) -> DType {
        switch t {
        case .float32, .float64: t
        case .int32, .int64, .bool: defaultFloat
        }
    }

    /// The dtype of `tensor op n` for a Swift `Int` `n`: float and integer tensors keep theirs, bool becomes
    /// `int64`.
    static func withInt(_ t: DType) -> DType {
        switch t {
        case .float32, .float64, .int32, .int64: t
        case .bool: .int64
        }
    }
}
