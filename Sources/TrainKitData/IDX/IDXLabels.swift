import TrainKitCore

/// The rules an IDX labels file meets before its values become class indices.
///
/// * Every label is a whole number in `0..<maximumClassCount` (65,536): a negative, fractional, NaN or
///   infinite value, or one of 65,536 or more, is refused with a ``DataError`` naming the file and the
///   0-based index of the first such label.
/// * For training, the class count is `max label + 1`; it may be at most `sparsityLimit` (10) times the
///   number of distinct labels, so a single stray `255` among the digits 0–9 is refused instead of silently
///   training a 256-class model (``classCount(_:file:)``).
public enum IDXLabels {
    /// Labels must be below this (class indices of at most 65,536 classes).
    public static let maximumClassCount = 65_536
    /// `max label + 1` may be at most this many times the number of distinct labels.
    public static let sparsityLimit = 10

    /// The labels of `array` (1-d) as int64 class indices `[N]`, each checked (see the rules above).
    static func classIndices(_ array: IDXArray, file: String) throws -> Tensor {
        let values = array.decodedDoubles()
        var labels = [Int64](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            guard let label = Int64(exactly: v), label >= 0, label < maximumClassCount else {
                let shown = v.rounded() == v && abs(v) < 1e18 ? String(Int64(v)) : String(v)
                throw DataError.invalidFormat(
                    file: file, reason: "IDX: label \(shown) at index \(i) is not a class index "
                        + "(labels must be whole numbers from 0 to \(maximumClassCount - 1))")
            }
            labels[i] = label
        }
        return Tensor(labels, shape: [labels.count])
    }

    /// The class count `max label + 1` of training labels already checked by ``classIndices(_:file:)``.
    /// - Throws: ``DataError`` naming `file` and the largest label when the count is more than
    ///   ``sparsityLimit`` times the number of distinct labels.
    public static func classCount(_ labels: [Int64], file: String) throws -> Int {
        guard let largest = labels.max() else { return 1 }
        let count = Int(largest) + 1
        let distinct = Set(labels).count
        guard count <= sparsityLimit * distinct else {
            let index = labels.firstIndex(of: largest)!
            throw DataError.invalidFormat(
                file: file, reason: "IDX: label \(largest) at index \(index) implies \(count) classes, but the file "
                    + "has \(distinct) distinct labels (at most \(sparsityLimit)× as many classes as distinct labels "
                    + "are accepted; labels must be class indices 0..<k)")
        }
        return count
    }
}
