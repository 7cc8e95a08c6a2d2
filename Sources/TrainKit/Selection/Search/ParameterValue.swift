/// One hyperparameter value: a number, a string, a boolean, or a list of them (a choice between layer-width
/// lists such as `[64]` and `[128, 64]`). Encodes as plain JSON (`0.001`, `3`, `"adam"`, `true`, `[128, 64]`),
/// so sampled parameters read like the config they came from.
///
/// JSON does not keep `2.0` apart from `2`; ``SearchSpace/normalized(_:)`` restores each value's type from
/// its distribution after decoding.
public enum ParameterValue: Codable, Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case list([ParameterValue])

    /// The value as a number (ints and doubles; nil for strings and booleans).
    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .string, .bool, .list: return nil
        }
    }

    /// The value as an integer (ints, and doubles with an integral value).
    public var intValue: Int? {
        switch self {
        case .int(let v): return v
        case .double(let v): return v.rounded() == v && abs(v) < 9e15 ? Int(v) : nil
        case .string, .bool, .list: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var listValue: [ParameterValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// The plain Swift value (`Int`, `Double`, `String`, `Bool`, `[Any]`), for `[String: Any]` configs.
    public var anyValue: Any {
        switch self {
        case .int(let v): return v
        case .double(let v): return v
        case .string(let v): return v
        case .bool(let v): return v
        case .list(let l): return l.map(\.anyValue)
        }
    }

    /// A value from a plain Swift scalar or array of them (as YAML or JSON parsers produce), or nil otherwise.
    public init?(any value: Any) {
        switch value {
        case let v as Bool: self = .bool(v)
        case let v as Int: self = .int(v)
        case let v as Double: self = .double(v)
        case let v as Float: self = .double(Double(v))
        case let v as String: self = .string(v)
        case let v as ParameterValue: self = v
        case let v as [Any]:
            var items: [ParameterValue] = []
            for item in v {
                guard let p = ParameterValue(any: item) else { return nil }
                items.append(p)
            }
            self = .list(items)
        default: return nil
        }
    }

    /// Same value up to number representation: `.int(2)` matches `.double(2.0)`.
    public func matches(_ other: ParameterValue) -> Bool {
        if let a = doubleValue, let b = other.doubleValue { return a == b }
        if let a = listValue, let b = other.listValue {
            return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        }
        return self == other
    }

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .string(let v): return v
        case .bool(let v): return String(v)
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
            return
        }
        if let i = try? c.decode(Int.self) {
            self = .int(i)
            return
        }
        if let d = try? c.decode(Double.self) {
            self = .double(d)
            return
        }
        if let s = try? c.decode(String.self) {
            self = .string(s)
            return
        }
        if let l = try? c.decode([ParameterValue].self) {
            self = .list(l)
            return
        }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number, string, boolean or list")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        case .list(let l): try c.encode(l)
        }
    }
}
