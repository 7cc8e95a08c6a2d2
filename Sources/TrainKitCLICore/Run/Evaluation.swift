import TrainKit

/// Metrics of a model on a dataset, the same way for `train` (validation and test) and `evaluate`:
/// the mean loss (cross-entropy without smoothing, or the regression loss), and accuracy with macro F1
/// (classification), or RMSE, MAE and R² (regression).
enum Evaluation {
    static func metricKinds(_ task: TaskKind, kind: ModelKind) -> [MetricKind] {
        switch task {
        case .classification: [.accuracy, .f1(.macro)]
        case .regression: kind == .recommender ? [.rmse, .mae] : [.rmse, .mae, .r2]
        case .reconstruction: [.rmse, .mae]
        case .clustering, .decomposition: []  // scored by UnsupervisedMetrics
        }
    }

    static func loss(_ task: TaskKind, name: String?) -> TrainingLoss {
        switch name ?? (task == .classification ? "cross_entropy" : "mse") {
        case "l1": .l1
        case "huber": .huber(delta: 1)
        case "mse": .mse
        default: .crossEntropy
        }
    }

    /// The model's outputs for `features` (or what `apply` makes of them), in evaluation mode, in batches.
    static func outputs(_ model: any Layer, features: Tensor, batchSize: Int = 512,
                        apply: ((Tensor) -> Tensor)? = nil) -> Tensor {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let n = features.shape[0]
        guard n > 0 else { return Tensor.zeros([0]) }
        return noGrad {
            var parts: [Tensor] = []
            var start = 0
            while start < n {
                let length = Swift.min(batchSize, n - start)
                let batch = features.narrow(0, start: start, length: length).contiguous()
                parts.append(apply?(batch) ?? model(batch))
                start += length
            }
            return parts.count == 1 ? parts[0] : Tensor.cat(parts, dim: 0)
        }
    }

    /// `["loss": …, "accuracy": …, "f1_macro": …]` or `["loss": …, "rmse": …, "mae": …, "r2": …]`; for
    /// reconstruction also `explained_variance_ratio` (``UnsupervisedMetrics/explainedVarianceRatio(reconstruction:of:)``).
    static func evaluate(_ model: any Layer, on data: TensorDataset, task: TaskKind, kind: ModelKind,
                         lossName: String?) -> [String: Double] {
        guard data.count > 0 else { return [:] }
        let out = outputs(model, features: data.features)
        var results = ["loss": loss(task, name: lossName)(out, data.labels).item()]
        for kind in metricKinds(task, kind: kind) {
            var metric = kind.makeMetric()
            metric.update(predictions: out, targets: data.labels)
            if let value = metric.compute().scalar { results[metric.name] = value }
        }
        if task == .reconstruction {  // an autoencoder: the share of the variance kept, comparable with a pca's
            results["explained_variance_ratio"] = UnsupervisedMetrics.explainedVarianceRatio(reconstruction: out, of: data.labels)
        }
        return results
    }
}
