/// Fills missing values with a statistic of the training data (scikit-learn's `SimpleImputer`).
///
/// Numeric columns (NaN = missing) use the mean, median or a constant; string columns (nil = missing)
/// use the most frequent value or a constant. `Codable`, so prediction fills with the training value.
///
/// ```swift
/// let imputer = Imputer.fit([1, .nan, 3], strategy: .mean)   // fill value 2
/// imputer.transform([.nan, 5])                                 // [2, 5]
/// ```
public struct Imputer: Codable, Sendable, Equatable {
    public enum Strategy: String, Codable, Sendable {
        case mean, median, mostFrequent, constant
    }

    /// The value that replaces a missing number.
    public var numericFill: Double
    /// The value that replaces a missing string.
    public var stringFill: String

    public init(numericFill: Double = 0, stringFill: String = "missing") {
        self.numericFill = numericFill
        self.stringFill = stringFill
    }

    /// Fits on numbers: `.mean`, `.median` or `.mostFrequent` of the present values
    /// (`constant` when there are none, or when `strategy` is `.constant`).
    public static func fit(_ values: [Double], strategy: Strategy, constant: Double = 0) -> Imputer {
        let present = values.filter { !$0.isNaN }
        guard !present.isEmpty else { return Imputer(numericFill: constant) }
        switch strategy {
        case .mean: return Imputer(numericFill: present.reduce(0, +) / Double(present.count))
        case .median:
            let sorted = present.sorted()
            let mid = sorted.count / 2
            return Imputer(numericFill: sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2)
        case .mostFrequent: return Imputer(numericFill: mostFrequent(present))
        case .constant: return Imputer(numericFill: constant)
        }
    }

    /// Fits on strings: the most frequent present value (ties: the smallest), or `constant`.
    public static func fit(_ values: [String?], strategy: Strategy = .mostFrequent, constant: String = "missing") -> Imputer {
        let present = values.compactMap { $0 }
        guard strategy == .mostFrequent, !present.isEmpty else { return Imputer(stringFill: constant) }
        return Imputer(stringFill: mostFrequent(present))
    }

    public func transform(_ values: [Double]) -> [Double] { values.map { $0.isNaN ? numericFill : $0 } }
    public func transform(_ values: [String?]) -> [String?] { values.map { $0 ?? stringFill } }

    private static func mostFrequent<T: Hashable & Comparable>(_ values: [T]) -> T {
        var counts = [T: Int]()
        for v in values { counts[v, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
    }
}
