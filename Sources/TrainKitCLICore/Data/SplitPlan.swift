import TrainKit

/// The seeded train / validation / test index split of one file's rows.
///
/// The test part is taken first (with `seed`), then the validation part from what is left (with `seed + 1`);
/// both are stratified by class when `labels` are given. A pure function of its arguments.
struct SplitPlan {
    var train: [Int]
    var validation: [Int]
    var test: [Int]

    /// Rows chosen by the caller (a cross-validation fold: its training part split into train and validation,
    /// its held-out part as the test rows).
    init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    init(count: Int, labels: [Int]?, testFraction: Double, validationFraction: Double, seed: UInt64) {
        func split(_ indices: [Int], heldOut fraction: Double, seed: UInt64) -> (kept: [Int], held: [Int]) {
            guard fraction > 0, indices.count > 1 else { return (indices, []) }
            if let labels {
                let parts = Splits.stratified(labels: indices.map { labels[$0] }, fraction: 1 - fraction, seed: seed)
                return (parts.first.map { indices[$0] }, parts.second.map { indices[$0] })
            }
            let parts = Splits.random(count: indices.count, fractions: [1 - fraction, fraction], seed: seed)
            return (parts[0].map { indices[$0] }, parts[1].map { indices[$0] })
        }
        let (rest, test) = split(Array(0..<count), heldOut: testFraction, seed: seed)
        let (train, validation) = split(rest, heldOut: validationFraction, seed: seed &+ 1)
        self.train = train
        self.validation = validation
        self.test = test
    }
}

extension TensorDataset {
    /// The rows `indices` as a new in-memory dataset.
    func rows(_ indices: [Int]) -> TensorDataset {
        let batch = gather(indices)
        return TensorDataset(features: batch.features, labels: batch.labels)
    }
}

/// Sorted distinct class names (numeric names in numeric order) and the index of each value.
/// - Parameter lines: the file line of each value, for messages (else they count data rows from 1).
func classIndices(_ values: [String], classes given: [String]?, source: String, column: String,
                  lines: [Int]? = nil) throws -> (labels: [Int], classes: [String]) {
    let names = given ?? Array(Set(values)).sorted { a, b in
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }
    var index = [String: Int]()
    for (i, c) in names.enumerated() { index[c] = i }
    var labels = [Int]()
    labels.reserveCapacity(values.count)
    for (row, value) in values.enumerated() {
        guard let i = index[value] else {
            throw DataError.invalidFormat(
                file: source, reason: "\(column) has class \"\(value)\" \(lines.map { "on line \($0[row])" } ?? "in data row \(row + 1)"), which the training data does not have (classes: \(names.prefix(20).joined(separator: ", ")))")
        }
        labels.append(i)
    }
    return (labels, names)
}
