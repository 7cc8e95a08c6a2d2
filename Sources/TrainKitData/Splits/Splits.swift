import TrainKitCore

/// Seeded index splits for model selection: random and stratified hold-out splits, k-fold and
/// stratified k-fold. Every result is a pure function of its arguments (same seed, same indices).
///
/// ```swift
/// let parts = Splits.random(count: 1000, fractions: [0.8, 0.1, 0.1], seed: 0)   // 800, 100, 100
/// for fold in Splits.kFold(count: 1000, k: 5, seed: 0) { _ = data.subset(fold.train) }
/// ```
public enum Splits {
    /// Disjoint random parts of `0..<count` with the given fractions (which must sum to 1).
    ///
    /// Part `k` ends at `round(count · (f₀ + … + f_k))`, so the sizes add up to `count` exactly.
    /// Each part keeps the order of one seeded permutation.
    public static func random(count: Int, fractions: [Double], seed: UInt64) -> [[Int]] {
        let order = Tensor.permutation(count, key: RandomKey(seed: seed))
        let bounds = boundaries(count: count, fractions: fractions, caller: "Splits.random")
        return (0..<fractions.count).map { Array(order[bounds[$0]..<bounds[$0 + 1]]) }
    }

    /// A random train / validation / test split of `0..<count`.
    public static func trainValidationTest(count: Int, validation: Double, test: Double, seed: UInt64)
        -> (train: [Int], validation: [Int], test: [Int]) {
        let parts = random(count: count, fractions: [1 - validation - test, validation, test], seed: seed)
        return (parts[0], parts[1], parts[2])
    }

    /// A random split that keeps each class's share: every class `c` puts
    /// `round(fraction · n_c)` of its `n_c` members in `first`, the rest in `second`.
    /// - Parameter labels: a class index per element.
    public static func stratified(labels: [Int], fraction: Double, seed: UInt64) -> (first: [Int], second: [Int]) {
        let parts = stratified(labels: labels, fractions: [fraction, 1 - fraction], seed: seed)
        return (parts[0], parts[1])
    }

    /// A stratified split into several parts (train / validation / test with the class balance of the whole).
    public static func stratified(labels: [Int], fractions: [Double], seed: UInt64) -> [[Int]] {
        let groups = classGroups(labels)
        let keys = RandomKey(seed: seed).split(groups.count + 1)
        var parts = [[Int]](repeating: [], count: fractions.count)
        for (g, members) in groups.enumerated() {
            let order = Tensor.permutation(members.count, key: keys[g]).map { members[$0] }
            let bounds = boundaries(count: members.count, fractions: fractions, caller: "Splits.stratified")
            for k in 0..<fractions.count { parts[k] += order[bounds[k]..<bounds[k + 1]] }
        }
        // Mix the classes inside each part (a fixed function of the seed).
        return parts.enumerated().map { k, part in
            let mix = Tensor.permutation(part.count, key: keys[groups.count].split(fractions.count)[k])
            return mix.map { part[$0] }
        }
    }

    /// K folds of `0..<count`: fold `i` validates on the `i`-th of `k` near-equal chunks (sizes differ by
    /// at most one, the larger first, as scikit-learn's `KFold`) and trains on the rest.
    /// Indices in each fold are sorted ascending.
    /// - Parameter shuffle: permute with `seed` before chunking; `false` gives contiguous chunks.
    public static func kFold(count: Int, k: Int, shuffle: Bool = true, seed: UInt64 = 0) -> [Fold] {
        precondition(k >= 2 && k <= count, "Splits.kFold: k must be in 2...\(count) (count), got \(k)")
        let order = shuffle ? Tensor.permutation(count, key: RandomKey(seed: seed)) : Array(0..<count)
        var fold = [Int](repeating: 0, count: count)
        var start = 0
        for i in 0..<k {
            let size = count / k + (i < count % k ? 1 : 0)
            for j in start..<(start + size) { fold[order[j]] = i }
            start += size
        }
        return folds(assignment: fold, k: k)
    }

    /// K folds that keep each class's share in every fold: each class's members (shuffled with `seed`)
    /// are dealt to the folds in turn, continuing across classes, so per-class counts differ by at most
    /// one between folds and fold sizes do too.
    public static func stratifiedKFold(labels: [Int], k: Int, shuffle: Bool = true, seed: UInt64 = 0) -> [Fold] {
        precondition(k >= 2 && k <= labels.count,
                     "Splits.stratifiedKFold: k must be in 2...\(labels.count) (count), got \(k)")
        let groups = classGroups(labels)
        let keys = RandomKey(seed: seed).split(groups.count)
        var fold = [Int](repeating: 0, count: labels.count)
        var dealt = 0
        for (g, members) in groups.enumerated() {
            let order = shuffle ? Tensor.permutation(members.count, key: keys[g]).map { members[$0] } : members
            for index in order {
                fold[index] = dealt % k
                dealt += 1
            }
        }
        return folds(assignment: fold, k: k)
    }

    /// Cumulative-rounding boundaries: `[0, round(n·f₀), round(n·(f₀+f₁)), …, n]`.
    static func boundaries(count: Int, fractions: [Double], caller: String) -> [Int] {
        precondition(!fractions.isEmpty && fractions.allSatisfy { $0 >= 0 },
                     "\(caller): fractions must be non-negative, got \(fractions)")
        let total = fractions.reduce(0, +)
        precondition(abs(total - 1) < 1e-6, "\(caller): fractions must sum to 1, got \(fractions) (sum \(total))")
        var bounds = [0]
        var cumulative = 0.0
        for f in fractions.dropLast() {
            cumulative += f
            bounds.append(min(count, max(bounds.last!, Int((Double(count) * cumulative).rounded()))))
        }
        bounds.append(count)
        return bounds
    }

    /// Element indices grouped by class, classes in ascending order, members in ascending order.
    static func classGroups(_ labels: [Int]) -> [[Int]] {
        var byClass = [Int: [Int]]()
        for (i, label) in labels.enumerated() { byClass[label, default: []].append(i) }
        return byClass.keys.sorted().map { byClass[$0]! }
    }

    static func folds(assignment: [Int], k: Int) -> [Fold] {
        var validation = [[Int]](repeating: [], count: k)
        for (index, f) in assignment.enumerated() { validation[f].append(index) }
        return (0..<k).map { i in
            var train = [Int]()
            train.reserveCapacity(assignment.count - validation[i].count)
            for (index, f) in assignment.enumerated() where f != i { train.append(index) }
            return Fold(train: train, validation: validation[i])
        }
    }
}

/// One cross-validation fold: indices to train on and indices to validate on (disjoint).
public struct Fold: Sendable, Hashable, Codable {
    public var train: [Int]
    public var validation: [Int]

    public init(train: [Int], validation: [Int]) {
        self.train = train
        self.validation = validation
    }
}
