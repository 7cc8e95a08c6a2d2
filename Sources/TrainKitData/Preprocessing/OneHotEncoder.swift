import TrainKitCore

/// One-hot encoding of a categorical column: category `k` of `K` becomes the unit vector `e_k`.
///
/// Categories are the sorted distinct training values. A value not seen in training (or a missing
/// one) encodes as all zeros, scikit-learn's `handle_unknown="ignore"`. `Codable`.
///
/// Shapes: `[N]` values -> `[N, K]` float32.
///
/// ```swift
/// let encoder = OneHotEncoder.fit(["red", "green", "red"])   // categories ["green", "red"]
/// encoder.transform(["red", "blue"])                          // [[0, 1], [0, 0]]
/// ```
public struct OneHotEncoder: Codable, Sendable, Equatable {
    public var categories: [String]

    public init(categories: [String]) { self.categories = categories }

    public static func fit(_ values: [String?]) -> OneHotEncoder {
        OneHotEncoder(categories: Array(Set(values.compactMap { $0 })).sorted())
    }

    /// Float32 `[values.count, categories.count]`.
    public func transform(_ values: [String?]) -> Tensor {
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let width = categories.count
        var out = [Float](repeating: 0, count: values.count * width)  // built on the host from host strings
        for (i, value) in values.enumerated() {
            if let value, let k = index[value] { out[i * width + k] = 1 }
        }
        return Tensor(out, shape: [values.count, width])
    }
}

/// Ordinal encoding: each category becomes its index among the sorted distinct training values.
///
/// A value not seen in training, or a missing one, encodes as `unknownValue` (default -1). `Codable`.
/// Shapes: `[N]` values -> `[N]` int64 (`transform`) or float32 (`transformFloat`).
public struct OrdinalEncoder: Codable, Sendable, Equatable {
    public var categories: [String]
    public var unknownValue: Int

    public init(categories: [String], unknownValue: Int = -1) {
        self.categories = categories
        self.unknownValue = unknownValue
    }

    public static func fit(_ values: [String?], unknownValue: Int = -1) -> OrdinalEncoder {
        OrdinalEncoder(categories: Array(Set(values.compactMap { $0 })).sorted(), unknownValue: unknownValue)
    }

    /// The code of each value.
    public func codes(_ values: [String?]) -> [Int] {
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        return values.map { $0.flatMap { index[$0] } ?? unknownValue }
    }

    /// Int64 `[N]` codes.
    public func transform(_ values: [String?]) -> Tensor { Tensor(codes(values)) }

    /// The category of each code (nil for codes out of range).
    public func inverseTransform(_ codes: [Int]) -> [String?] {
        codes.map { categories.indices.contains($0) ? categories[$0] : nil }
    }
}
