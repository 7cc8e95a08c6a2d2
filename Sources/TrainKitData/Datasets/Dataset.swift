import TrainKitCore

/// A finite, indexable collection of examples: `count` elements, each read by `dataset[i]`.
///
/// Like PyTorch's map-style `Dataset` (`__len__` / `__getitem__`). Elements are usually a ``Sample``
/// (features and a label); any `Sendable` element works with a custom collate function in ``DataLoader``.
/// Datasets are values shared across the loader's prefetch threads, so they are `Sendable` and reading
/// an element must not mutate shared state.
///
/// ```swift
/// let data = TensorDataset(features: x, labels: y)   // x: [N, 4], y: [N]
/// let (train, validation) = data.split(fraction: 0.9, seed: 0)
/// print(train.count, train[0].features.shape)         // 90% of N, [4]
/// ```
public protocol Dataset<Element>: Sendable {
    associatedtype Element: Sendable
    /// The number of elements.
    var count: Int { get }
    /// The element at `index`, `0 <= index < count`.
    subscript(index: Int) -> Element { get }
}

/// One example: a feature tensor (any shape) and its label (a scalar class index or a target tensor).
public struct Sample: Sendable {
    public var features: Tensor
    public var label: Tensor

    public init(features: Tensor, label: Tensor) {
        self.features = features
        self.label = label
    }
}

/// A batch of examples stacked along a new first dimension: features `[B, ...]`, labels `[B, ...]`.
public struct Batch: Sendable {
    public var features: Tensor
    public var labels: Tensor

    public init(features: Tensor, labels: Tensor) {
        self.features = features
        self.labels = labels
    }

    /// The number of examples in the batch (`B`).
    public var count: Int { features.shape.first ?? 0 }

    /// Stacks samples into one batch (PyTorch's `default_collate` for `(features, label)` pairs).
    /// Every sample must have the same feature shape, dtype and label shape.
    public static func collate(_ samples: [Sample]) -> Batch {
        precondition(!samples.isEmpty, "Batch.collate: no samples")
        return Batch(features: Tensor.stack(samples.map(\.features).map { $0.detach() }, dim: 0),
                     labels: Tensor.stack(samples.map(\.label).map { $0.detach() }, dim: 0))
    }
}

/// A dataset of ``Sample``s that can gather many rows at once from contiguous buffers, in one pass,
/// without making a tensor per element. ``DataLoader`` uses it when the dataset provides it.
public protocol GatheringDataset: Dataset where Element == Sample {
    /// The samples at `indices`, in order, as one batch: features `[indices.count, ...]`.
    func gather(_ indices: [Int]) -> Batch
}

extension Dataset where Element == Sample {
    /// The samples at `indices` as one batch: a single gather when the dataset is a
    /// ``GatheringDataset`` (possibly behind ``Subset`` or ``ConcatenatedDataset``), else stacked samples.
    public func batch(at indices: [Int]) -> Batch {
        if let gathering = self as? any GatheringDataset { return gathering.gather(indices) }
        return Batch.collate(indices.map { self[$0] })
    }
}

extension Dataset {
    /// Checks an index against `count` with a message naming the dataset type.
    @inlinable func checkIndex(_ index: Int) {
        precondition(index >= 0 && index < count, "\(Self.self): index \(index) out of range 0..<\(count)")
    }
}
