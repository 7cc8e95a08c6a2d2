import TrainKitCore

/// An in-memory dataset over two contiguous tensors: `features` `[N, ...]` and `labels` `[N, ...]`.
///
/// Element `i` is row `i` of each (views, no copy). Batches are gathered row by row from the two
/// buffers in one pass (``gather(_:)``), never through one object per element, so a 60,000-image set
/// costs two allocations. The tensors are detached: a dataset never carries an autograd graph.
///
/// ```swift
/// let data = TensorDataset(features: Tensor.zeros([100, 3]), labels: Tensor([Int](repeating: 0, count: 100)))
/// let batch = data.gather([0, 5, 7])   // features [3, 3], labels [3]
/// ```
public struct TensorDataset: GatheringDataset {
    /// All features, `[N, ...]`, contiguous.
    public let features: Tensor
    /// All labels, `[N]` (class indices, usually int64) or `[N, ...]` (regression targets).
    public let labels: Tensor

    /// - Parameters:
    ///   - features: `[N, ...]`, any dtype.
    ///   - labels: `[N, ...]`; its first dimension must equal the features'.
    public init(features: Tensor, labels: Tensor) {
        precondition(features.rank >= 1 && labels.rank >= 1,
                     "TensorDataset: features \(features.shape) and labels \(labels.shape) need a first dimension")
        precondition(features.shape[0] == labels.shape[0],
                     "TensorDataset: features \(features.shape) and labels \(labels.shape) differ in dim 0")
        self.features = features.detach().contiguous()
        self.labels = labels.detach().contiguous()
    }

    public var count: Int { features.shape[0] }

    public subscript(index: Int) -> Sample {
        checkIndex(index)
        return Sample(features: features.select(0, index), label: labels.select(0, index))
    }

    public func gather(_ indices: [Int]) -> Batch {
        Batch(features: features.gatheredRows(indices), labels: labels.gatheredRows(indices))
    }

    /// The shape of one example's features (`features.shape` without the first dimension).
    public var featureShape: [Int] { Array(features.shape.dropFirst()) }
}
