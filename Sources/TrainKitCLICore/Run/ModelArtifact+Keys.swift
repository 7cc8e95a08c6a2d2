import Foundation

/// model.json's keys: snake_case on the way out (`parameter_count`, `standard_scaler`), either spelling on the
/// way in, so files written before the keys were unified (camelCase) still load. The `config` part is
/// ``RunConfig``'s own snake_case tree and is left as it is either way; dictionary keys (metric and column
/// names) are never converted.
extension JSONCoding {
    static func encodeModelFile<T: Encodable>(_ value: T) throws -> Data {
        try encode(value, keys: .custom { path in
            let key = path.last!
            return isConfig(path) ? key : ModelFileKey(stringValue: snakeCase(key.stringValue))
        })
    }

    static func decodeModelFile<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(type, from: data, keys: .custom { path in
            let key = path.last!
            return isConfig(path) ? key : ModelFileKey(stringValue: camelCase(key.stringValue))
        })
    }

    /// True for the keys inside model.json's `config`.
    private static func isConfig(_ path: [any CodingKey]) -> Bool {
        path.count > 1 && path[0].stringValue == "config"
    }
}

/// `parameter_count` → `parameterCount`; a key without underscores stays as it is.
func camelCase(_ key: String) -> String {
    let parts = key.split(separator: "_", omittingEmptySubsequences: false)
    guard parts.count > 1, !key.hasPrefix("_") else { return key }
    return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

private struct ModelFileKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
