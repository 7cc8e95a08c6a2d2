import TrainKitCore
import TrainKitData
import TrainKitNN

extension Trainer {
    /// Checks once, before training, that every label of `data` fits the loss, so the loss itself never
    /// reads labels back from the device.
    ///
    /// The model's output for a first batch (evaluation mode, no graph) gives the label form and the class
    /// count; then all labels of the dataset are checked on the device (cross-entropy class indices in
    /// `0..<C`, binary cross-entropy targets in `[0, 1]`), with one value read back. The global random
    /// stream is left where it was, so a dataset that draws while it is read changes nothing.
    ///
    /// - Parameter role: names the dataset in the error (`"validation data"`), nil for the training data.
    /// - Throws: ``TrainingError/labelMismatch(_:)`` naming the first wrong label and the fix.
    func validateLabels(of data: any Dataset<Sample>, batchSize: Int, role: String? = nil) throws {
        if case .custom = loss { return }
        if trainingStep != nil || data.count == 0 { return }
        let random = Random.position
        defer { Random.position = random }
        let sample = data.batch(at: [Int](0..<Swift.min(data.count, batchSize)))
        let outputs = noGrad { () -> Tensor in
            let wasTraining = model.isTraining
            model.isTraining = false
            defer { model.isTraining = wasTraining }
            return model(sample.features)
        }
        do {
            try loss.validate(outputs: outputs, labels: sample.labels)
            if sample.count < data.count { try loss.validateValues(Self.allLabels(of: data), outputs: outputs) }
        } catch TrainingError.labelMismatch(let message) where role != nil {
            throw TrainingError.labelMismatch("\(role!): \(message)")
        }
    }

    /// Every label of `data`, stacked `[count, ...]`: the labels tensor of a ``TensorDataset`` (or its rows, for
    /// a ``Subset`` of one), else the labels of batches of 4,096 samples.
    static func allLabels(of data: any Dataset<Sample>) -> Tensor {
        if let tensors = data as? TensorDataset { return tensors.labels }
        if let subset = data as? Subset<TensorDataset> {
            return subset.base.labels.indexSelect(0, Tensor(subset.indices.map(Int64.init), shape: [subset.count]))
        }
        let chunk = 4096
        let parts = stride(from: 0, to: data.count, by: chunk).map { start in
            data.batch(at: [Int](start..<Swift.min(start + chunk, data.count))).labels
        }
        return Tensor.cat(parts, dim: 0)
    }
}
