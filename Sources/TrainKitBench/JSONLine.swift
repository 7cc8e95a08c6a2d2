import TrainKit

/// A JSON value for the one-line records `trainkit-bench` prints (keys keep their insertion order, as the
/// Python peers' `json.dumps` does).
enum JSONValue {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null

    var text: String {
        switch self {
        case .string(let s): return JSONValue.quote(s)
        case .number(let x): return x.isFinite ? "\(x)" : "null"
        case .int(let i): return "\(i)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String { JSONText.quoted(s) }
}

/// `{"k": v, ...}` on one line, keys in the given order.
func jsonLine(_ fields: [(key: String, value: JSONValue)]) -> String {
    "{" + fields.map { JSONValue.quote($0.key) + ": " + $0.value.text }.joined(separator: ", ") + "}"
}

/// `x` rounded to `digits` decimals, as Python's `round(x, digits)`.
func rounded(_ x: Double, _ digits: Int) -> Double {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (x * scale).rounded() / scale
}
