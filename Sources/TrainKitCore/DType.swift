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

    /// The dtype of `a op b`: floating beats integer, wider beats narrower (torch promotion for these five).
    static func promoted(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a == .float64 || b == .float64 { return .float64 }
        if a == .float32 || b == .float32 { return .float32 }
        if a == .int64 || b == .int64 { return .int64 }
        if a == .int32 || b == .int32 { return .int32 }
        return .bool
    }
}
