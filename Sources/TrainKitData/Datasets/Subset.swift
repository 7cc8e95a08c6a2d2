/// The elements of `base` at `indices`, in that order (PyTorch's `Subset`). Holds only the index list.
///
/// A subset of a ``GatheringDataset`` gathers too: its batches are one pass over the base buffers.
public struct Subset<Base: Dataset>: Dataset {
    public let base: Base
    /// Indices into `base`; element `i` of the subset is `base[indices[i]]`.
    public let indices: [Int]

    public init(_ base: Base, indices: [Int]) {
        let n = base.count
        if let bad = indices.first(where: { $0 < 0 || $0 >= n }) {
            preconditionFailure("Subset: index \(bad) out of range 0..<\(n) of \(Base.self)")
        }
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }

    public subscript(index: Int) -> Base.Element {
        checkIndex(index)
        return base[indices[index]]
    }
}

extension Subset: GatheringDataset where Base: GatheringDataset {
    public func gather(_ indices: [Int]) -> Batch {
        base.gather(indices.map { self.indices[$0] })
    }
}

extension Dataset {
    /// The elements at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Subset<Self> { Subset(self, indices: indices) }

    /// A seeded random split into two disjoint subsets, the first with `round(fraction · count)`
    /// elements (`data.train.split(fraction: 0.9, seed: 0)` gives 90% train, 10% validation).
    ///
    /// The split is a pure function of `(count, fraction, seed)`.
    public func split(fraction: Double, seed: UInt64) -> (Subset<Self>, Subset<Self>) {
        let parts = Splits.random(count: count, fractions: [fraction, 1 - fraction], seed: seed)
        return (subset(parts[0]), subset(parts[1]))
    }

    /// A seeded random split into disjoint subsets with the given fractions (for example
    /// `[0.8, 0.1, 0.1]` for train, validation and test). See ``Splits/random(count:fractions:seed:)``.
    public func randomSplit(fractions: [Double], seed: UInt64) -> [Subset<Self>] {
        Splits.random(count: count, fractions: fractions, seed: seed).map(subset)
    }
}

extension Dataset where Element == Sample {
    /// A seeded split that keeps each class's share in both parts (labels must be class indices).
    /// See ``Splits/stratified(labels:fraction:seed:)``.
    public func stratifiedSplit(fraction: Double, seed: UInt64) -> (Subset<Self>, Subset<Self>) {
        let parts = Splits.stratified(labels: classLabels(), fraction: fraction, seed: seed)
        return (subset(parts.first), subset(parts.second))
    }

    /// Every element's label as an integer class index (for stratified splits).
    public func classLabels() -> [Int] {
        if let tensors = self as? TensorDataset { return tensors.labels.toArray(as: Int64.self).map { Int($0) } }
        return (0..<count).map { Int(self[$0].label.item()) }
    }
}
