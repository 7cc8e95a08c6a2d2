import Foundation

/// The range of one hyperparameter in a ``SearchSpace``.
///
/// | case | config spec | sampled by ``RandomSampler`` |
/// | --- | --- | --- |
/// | ``choice(_:)`` | `{tune: choice, values: [adam, sgd]}` | each value with probability `1/k` |
/// | ``uniform(low:high:)`` | `{tune: uniform, low: 0, high: 0.5}` | `x ~ U(low, high)` |
/// | ``logUniform(low:high:)`` | `{tune: loguniform, low: 1e-4, high: 1e-1}` | `log x ~ U(log low, log high)` |
/// | ``int(low:high:step:log:)`` | `{tune: int, low: 16, high: 256, step: 16}` | uniform on `low, low+step, …, ≤ high` |
///
/// A log-scaled int (`log: true`) draws `log x` uniformly, then rounds to the step grid.
///
/// Bounds are inclusive. Codable in the spec form above (JSON: `{"tune": "loguniform", "low": 0.0001, "high": 0.1}`).
public enum Distribution: Codable, Sendable, Hashable {
    case choice([ParameterValue])
    case uniform(low: Double, high: Double)
    case logUniform(low: Double, high: Double)
    case int(low: Int, high: Int, step: Int = 1, log: Bool = false)

    // MARK: - Spec form

    /// Reads a spec mapping such as `["tune": "loguniform", "low": 1e-4, "high": 0.1]` (as a YAML or JSON parser
    /// gives it); `path` names the parameter in errors. Numbers written as strings (`"1e-4"`, YAML 1.1) are accepted.
    public init(spec: [String: Any], path: String) throws {
        func fail(_ message: String) -> SelectionError { .invalidSpace(path: path, message: message) }
        guard let kind = spec["tune"] as? String else {
            throw fail("a search spec needs `tune: choice|uniform|loguniform|int`")
        }
        let allowed: Set<String>
        func number(_ key: String) throws -> Double {
            guard let raw = spec[key] else { throw fail("`tune: \(kind)` needs `\(key)`") }
            if let v = ParameterValue(any: raw)?.doubleValue { return v }
            if let s = raw as? String, let v = Double(s.trimmingCharacters(in: .whitespaces)) { return v }
            throw fail("`\(key)` must be a number, got \(raw)")
        }
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            guard spec[key] != nil || value == nil else { return value! }
            let v = try number(key)
            guard v.rounded() == v, abs(v) < 9e15 else { throw fail("`\(key)` must be an integer, got \(v)") }
            return Int(v)
        }
        switch kind.lowercased() {
        case "choice", "categorical":
            allowed = ["tune", "values"]
            guard let raw = spec["values"] as? [Any] else { throw fail("`tune: choice` needs `values: [...]`") }
            var values: [ParameterValue] = []
            for item in raw {
                guard let v = ParameterValue(any: item) else {
                    throw fail("choice values must be scalars or lists of them, got \(item)")
                }
                values.append(v)
            }
            self = .choice(values)
        case "uniform":
            allowed = ["tune", "low", "high"]
            self = .uniform(low: try number("low"), high: try number("high"))
        case "loguniform", "log_uniform", "log-uniform":
            allowed = ["tune", "low", "high"]
            self = .logUniform(low: try number("low"), high: try number("high"))
        case "int", "integer", "randint":
            allowed = ["tune", "low", "high", "step", "log"]
            var log = false
            if let raw = spec["log"] {
                guard let b = raw as? Bool else { throw fail("`log` must be true or false, got \(raw)") }
                log = b
            }
            self = .int(
                low: try integer("low"), high: try integer("high"), step: try integer("step", default: 1), log: log)
        default:
            throw fail("unknown `tune: \(kind)` (expected one of: choice, uniform, loguniform, int)")
        }
        if let extra = spec.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(
                "unknown key `\(extra)` in `tune: \(kind)` (expected: \(allowed.sorted().joined(separator: ", ")))")
        }
        try validate(path: path)
    }

    /// Checks the bounds: `low < high` (`low <= high` for ints), `low > 0` for log scales, `step >= 1`,
    /// and a non-empty list of distinct choices.
    public func validate(path: String) throws {
        func fail(_ message: String) -> SelectionError { .invalidSpace(path: path, message: message) }
        switch self {
        case .choice(let values):
            guard !values.isEmpty else { throw fail("`values` must not be empty") }
            for (i, v) in values.enumerated() where values[..<i].contains(where: { $0.matches(v) }) {
                throw fail("`values` lists \(v) twice")
            }
        case .uniform(let low, let high):
            guard low.isFinite, high.isFinite, low < high else {
                throw fail("needs finite low < high, got low \(low), high \(high)")
            }
        case .logUniform(let low, let high):
            guard low.isFinite, high.isFinite, low < high else {
                throw fail("needs finite low < high, got low \(low), high \(high)")
            }
            guard low > 0 else { throw fail("`low` must be > 0 for loguniform, got \(low)") }
        case .int(let low, let high, let step, let log):
            guard low <= high else { throw fail("needs low <= high, got low \(low), high \(high)") }
            guard step >= 1 else { throw fail("`step` must be >= 1, got \(step)") }
            guard !log || low >= 1 else { throw fail("`low` must be >= 1 for a log-scaled int, got \(low)") }
        }
    }

    /// The spec mapping (the inverse of ``init(spec:path:)``), e.g. for writing the space back into a config.
    public var spec: [String: Any] {
        switch self {
        case .choice(let values): return ["tune": "choice", "values": values.map(\.anyValue)]
        case .uniform(let low, let high): return ["tune": "uniform", "low": low, "high": high]
        case .logUniform(let low, let high): return ["tune": "loguniform", "low": low, "high": high]
        case .int(let low, let high, let step, let log):
            var s: [String: Any] = ["tune": "int", "low": low, "high": high]
            if step != 1 { s["step"] = step }
            if log { s["log"] = true }
            return s
        }
    }

    // MARK: - Values

    /// `value` in this distribution's type (`.double` for uniform, `.int` for ints, the listed choice), or nil
    /// when it lies outside the range.
    public func normalize(_ value: ParameterValue) -> ParameterValue? {
        switch self {
        case .choice(let values): return values.first { $0.matches(value) }
        case .uniform(let low, let high), .logUniform(let low, let high):
            guard let v = value.doubleValue, v >= low, v <= high else { return nil }
            return .double(v)
        case .int(let low, let high, let step, _):
            guard let v = value.intValue, v >= low, v <= high, (v - low) % step == 0 else { return nil }
            return .int(v)
        }
    }

    /// Equal, with choice values compared up to number representation (``ParameterValue/matches(_:)``).
    public func isEquivalent(to other: Distribution) -> Bool {
        guard case .choice(let a) = self, case .choice(let b) = other else { return self == other }
        return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
    }

    /// The number of distinct values (nil for continuous ranges).
    public var cardinality: Int? {
        switch self {
        case .choice(let values): return values.count
        case .uniform, .logUniform: return nil
        case .int(let low, let high, let step, _): return (high - low) / step + 1
        }
    }

    /// `n` evenly spaced values for grid search: every choice; every int when there are at most `n`, else `n`
    /// spread over the range (geometrically when log-scaled); `n` points of `linspace(low, high)` for uniform,
    /// of `geomspace(low, high)` for loguniform (ends included; `n = 1` gives the midpoint).
    public func gridPoints(_ n: Int) -> [ParameterValue] {
        precondition(n >= 1, "Distribution.gridPoints: n must be >= 1, got \(n)")
        func spaced(_ a: Double, _ b: Double) -> [Double] {
            n == 1 ? [(a + b) / 2] : (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
        }
        switch self {
        case .choice(let values): return values
        case .uniform(let low, let high): return spaced(low, high).map { .double($0) }
        case .logUniform(let low, let high):
            return spaced(Foundation.log(low), Foundation.log(high)).map { .double(exp($0)) }
        case .int(let low, let high, let step, let log):
            let count = cardinality!
            if count <= n { return (0..<count).map { .int(low + $0 * step) } }
            let raw =
                log
                ? spaced(Foundation.log(Double(low)), Foundation.log(Double(high))).map(exp)
                : spaced(Double(low), Double(high))
            var seen: [Int] = []
            for r in raw {
                let v = snapInt(r, low: low, high: high, step: step)
                if !seen.contains(v) { seen.append(v) }
            }
            return seen.map { .int($0) }
        }
    }

    /// A uniform draw (see the table above).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> ParameterValue {
        switch self {
        case .choice(let values): return values[Int.random(in: 0..<values.count, using: &generator)]
        default:
            let (a, b) = internalRange
            return fromInternal(Double.random(in: a..<b, using: &generator))
        }
    }

    // MARK: - The continuous scale the samplers work on

    /// The range of the internal scale: `[low, high]` (uniform), `[log low, log high]` (loguniform),
    /// `[low - step/2, high + step/2]` for ints (in logs when log-scaled), so that rounding gives every int an
    /// equal share. Choices have no internal scale.
    var internalRange: (Double, Double) {
        switch self {
        case .choice: preconditionFailure("Distribution: a choice has no continuous scale")
        case .uniform(let low, let high): return (low, high)
        case .logUniform(let low, let high): return (Foundation.log(low), Foundation.log(high))
        case .int(let low, let high, let step, let log):
            let a = Double(low) - Double(step) / 2
            let b = Double(high) + Double(step) / 2
            return log ? (Foundation.log(Swift.max(a, 0.5)), Foundation.log(b)) : (a, b)
        }
    }

    /// A value's position on the internal scale.
    func toInternal(_ value: ParameterValue) -> Double {
        let v = value.doubleValue ?? 0
        switch self {
        case .choice: preconditionFailure("Distribution: a choice has no continuous scale")
        case .uniform: return v
        case .logUniform: return Foundation.log(v)
        case .int(_, _, _, let log): return log ? Foundation.log(v) : v
        }
    }

    /// The value at internal position `x` (clamped into the range; ints rounded to the step grid).
    func fromInternal(_ x: Double) -> ParameterValue {
        switch self {
        case .choice: preconditionFailure("Distribution: a choice has no continuous scale")
        case .uniform(let low, let high): return .double(Swift.min(Swift.max(x, low), high))
        case .logUniform(let low, let high): return .double(Swift.min(Swift.max(exp(x), low), high))
        case .int(let low, let high, let step, let log):
            return .int(snapInt(log ? exp(x) : x, low: low, high: high, step: step))
        }
    }

    private func snapInt(_ x: Double, low: Int, high: Int, step: Int) -> Int {
        let k = ((x - Double(low)) / Double(step)).rounded()
        let v = low + Int(Swift.max(0, Swift.min(k, Double((high - low) / step)))) * step
        return v
    }

    // MARK: - Codable (the spec form)

    enum CodingKeys: String, CodingKey { case tune, values, low, high, step, log }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let path = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        let kind = try c.decode(String.self, forKey: .tune)
        var spec: [String: Any] = ["tune": kind]
        if let values = try c.decodeIfPresent([ParameterValue].self, forKey: .values) {
            spec["values"] = values.map(\.anyValue)
        }
        if let low = try c.decodeIfPresent(Double.self, forKey: .low) { spec["low"] = low }
        if let high = try c.decodeIfPresent(Double.self, forKey: .high) { spec["high"] = high }
        if let step = try c.decodeIfPresent(Int.self, forKey: .step) { spec["step"] = step }
        if let log = try c.decodeIfPresent(Bool.self, forKey: .log) { spec["log"] = log }
        self = try Distribution(spec: spec, path: path.isEmpty ? "distribution" : path)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .choice(let values):
            try c.encode("choice", forKey: .tune)
            try c.encode(values, forKey: .values)
        case .uniform(let low, let high):
            try c.encode("uniform", forKey: .tune)
            try c.encode(low, forKey: .low)
            try c.encode(high, forKey: .high)
        case .logUniform(let low, let high):
            try c.encode("loguniform", forKey: .tune)
            try c.encode(low, forKey: .low)
            try c.encode(high, forKey: .high)
        case .int(let low, let high, let step, let log):
            try c.encode("int", forKey: .tune)
            try c.encode(low, forKey: .low)
            try c.encode(high, forKey: .high)
            if step != 1 { try c.encode(step, forKey: .step) }
            if log { try c.encode(true, forKey: .log) }
        }
    }
}
