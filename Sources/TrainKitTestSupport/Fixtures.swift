import Foundation
import TrainKitCore

/// Errors reading reference fixtures.
public enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String)
    case unknownFormat(file: String, format: Int)

    public var description: String {
        switch self {
        case .missing(let path): "fixture file not found: \(path)"
        case .malformed(let what): "malformed fixture: \(what)"
        case .unknownFormat(let file, let format): "\(file): unknown fixture format \(format) (this reader knows 1)"
        }
    }
}

/// The PyTorch / scikit-learn reference cases (`Tests/Fixtures/torch`, or `$TRAINKIT_FIXTURES`).
public enum Fixtures {
    /// The fixture directory: `$TRAINKIT_FIXTURES` when set, else the repository's `Tests/Fixtures/torch`.
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["TRAINKIT_FIXTURES"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // Sources/TrainKitTestSupport/Fixtures.swift -> repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("Tests/Fixtures/torch")
    }

    /// The PyTorch state-dict fixtures made by `scripts/torch-state-dicts.py`: `$TRAINKIT_STATE_DICT_FIXTURES`
    /// when set, else the repository's `Tests/Fixtures/torch-state-dicts`. A separate variable from
    /// `TRAINKIT_FIXTURES`, which replaces the JSON op cases only (its held-back set has no state dicts).
    public static var stateDictDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["TRAINKIT_STATE_DICT_FIXTURES"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return directory(named: "Tests/Fixtures/torch-state-dicts")
    }

    /// `path` inside the repository.
    static func directory(named path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(path)
    }

    /// Loads `<group>.json` and returns its top-level object (format checked).
    public static func loadGroup(_ group: String) throws -> [String: Any] {
        let url = directory.appendingPathComponent("\(group).json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureError.missing(url.path) }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.malformed("\(url.lastPathComponent) is not a JSON object")
        }
        let format = object["format"] as? Int ?? -1
        guard format == 1 else { throw FixtureError.unknownFormat(file: url.lastPathComponent, format: format) }
        return object
    }

    /// The op cases of a group (`cases`), each wrapped for typed access.
    public static func cases(_ group: String, key: String = "cases") throws -> [FixtureCase] {
        let object = try loadGroup(group)
        guard let list = object[key] as? [[String: Any]] else { throw FixtureError.malformed("\(group).json has no \(key) list") }
        return list.map(FixtureCase.init)
    }
}

/// One reference case with typed accessors. Tensors convert to float32 (`tensor`) or float64 (`tensor64`).
public struct FixtureCase: @unchecked Sendable {
    public let raw: [String: Any]
    public init(_ raw: [String: Any]) { self.raw = raw }

    public var name: String { raw["name"] as? String ?? "?" }
    public var op: String { raw["op"] as? String ?? "" }
    public var attrs: [String: Any] { raw["attrs"] as? [String: Any] ?? [:] }
    public var rtol: Double { (raw["rtol"] as? NSNumber)?.doubleValue ?? 1e-4 }
    public var atol: Double { (raw["atol"] as? NSNumber)?.doubleValue ?? 1e-5 }

    /// The sub-dictionary `key` (inputs, grads, outputs, grad_outputs, ...) as tensors.
    public func tensors(_ key: String, float64: Bool = false) -> [String: Tensor] {
        guard let dict = raw[key] as? [String: Any] else { return [:] }
        var out: [String: Tensor] = [:]
        for (k, v) in dict { if let t = FixtureCase.tensor(from: v, float64: float64) { out[k] = t } }
        return out
    }

    /// The tensor at `key` (e.g. "output", "grad_output").
    public func tensor(_ key: String, float64: Bool = false) -> Tensor? {
        raw[key].flatMap { FixtureCase.tensor(from: $0, float64: float64) }
    }

    /// Decodes `{"shape", "dtype", "data"}`. Floats become float32, or float64 when asked.
    public static func tensor(from value: Any, float64: Bool = false) -> Tensor? {
        guard let dict = value as? [String: Any], let shape = dict["shape"] as? [Int],
            let dtype = dict["dtype"] as? String, let data = dict["data"] as? [Any]
        else { return nil }
        switch dtype {
        case "int64": return Tensor(data.map { Int64(truncating: $0 as! NSNumber) }, shape: shape)
        case "bool": return Tensor(data.map { ($0 as! NSNumber).boolValue }, shape: shape)
        default:
            let doubles = data.map { ($0 as! NSNumber).doubleValue }
            return float64 ? Tensor(doubles, shape: shape) : Tensor(doubles.map { Float($0) }, shape: shape)
        }
    }

    // Attribute helpers.
    public func int(_ key: String) -> Int? { (attrs[key] as? NSNumber)?.intValue }
    public func double(_ key: String) -> Double? { (attrs[key] as? NSNumber)?.doubleValue }
    public func bool(_ key: String) -> Bool? { (attrs[key] as? NSNumber)?.boolValue }
    public func string(_ key: String) -> String? { attrs[key] as? String }
    public func isNull(_ key: String) -> Bool { attrs[key] == nil || attrs[key] is NSNull }
    /// An int or a list of ints (`[Int]`), nil for null/absent.
    public func ints(_ key: String) -> [Int]? {
        if let n = attrs[key] as? NSNumber { return [n.intValue] }
        return (attrs[key] as? [NSNumber])?.map(\.intValue)
    }
}
