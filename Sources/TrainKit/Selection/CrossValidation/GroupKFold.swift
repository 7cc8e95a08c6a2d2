import TrainKitCore

extension Splits {
    /// K folds that never split a group: every element of a group (a user's ratings, a patient's scans) lands in
    /// the same validation fold, so no group is in both the train and validation part of any fold.
    ///
    /// The groups are shuffled with `seed`, then each goes to the fold with the fewest elements so far (ties:
    /// the lowest fold). Fold sizes then differ by at most the size of the largest group. Indices in each fold
    /// are sorted ascending.
    /// - Parameters:
    ///   - groups: a group id per element (map string ids to ints first, e.g. with `IDMap`).
    ///   - k: folds, `2...(number of distinct groups)`.
    public static func groupKFold(groups: [Int], k: Int, seed: UInt64 = 0) -> [Fold] {
        var members: [Int: [Int]] = [:]
        for (i, g) in groups.enumerated() { members[g, default: []].append(i) }
        let ids = members.keys.sorted()
        precondition(
            k >= 2 && k <= ids.count, "Splits.groupKFold: k must be in 2...\(ids.count) (distinct groups), got \(k)")
        let order = Tensor.permutation(ids.count, key: RandomKey(seed: seed))
        var load = [Int](repeating: 0, count: k)
        var assignment = [Int](repeating: 0, count: groups.count)
        for position in order {
            let group = members[ids[position]]!
            let fold = load.indices.min { load[$0] < load[$1] || (load[$0] == load[$1] && $0 < $1) }!
            load[fold] += group.count
            for i in group { assignment[i] = fold }
        }
        return (0..<k).map { f in
            Fold(
                train: assignment.indices.filter { assignment[$0] != f },
                validation: assignment.indices.filter { assignment[$0] == f })
        }
    }
}
