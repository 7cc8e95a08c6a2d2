import TrainKit

/// The data of a `kmeans`, `pca` or `gmm` run: the inputs read and standardized as for an `mlp`, with
/// `data.target` (when given; for IDX images, the labels file) left out of them and kept as class indices to
/// score the clusters with.
enum UnsupervisedData {
    /// Reads the data as ``PreparedData/prepare(_:rows:)`` does for supervised kinds and checks it fits an
    /// unsupervised model.
    /// - Throws: `DataError` naming the column for an input column that is constant over the training rows.
    static func prepare(_ config: RunConfig, rows: SplitPlan?) throws -> PreparedData {
        var reading = config
        reading.model.kind = .mlp  // same reading and one-hot encoding as an mlp
        reading.training.task = config.data.format == .csv && config.data.target == nil ? .reconstruction : .classification
        var data = try PreparedData.prepare(reading, rows: rows)
        let task = config.training.task ?? .clustering
        data.preprocessing.task = task
        data.taskNote = "task: \(task.rawValue) (model kind '\(config.model.kind.rawValue)')"
            + (config.data.target.map { "; target '\($0)' scores the clusters only" } ?? "")
        if reading.training.task == .reconstruction || task == .decomposition {  // no labels to score with
            func unlabelled(_ d: TensorDataset) -> TensorDataset { TensorDataset(features: d.features, labels: d.features) }
            data.train = unlabelled(data.train)
            data.validation = data.validation.map(unlabelled)
            data.test = data.test.map(unlabelled)
        }
        try requireVaryingColumns(data, file: config.data.train, imagePixels: config.data.format == .idx)
        return data
    }

    /// Every input column of a table must vary over the training rows: a constant one carries nothing to cluster
    /// or project on (and a data set of constant columns has no components at all). Image pixels that never
    /// change (MNIST's blank border) are normal and allowed; images whose every pixel is constant are not.
    static func requireVaryingColumns(_ data: PreparedData, file: String, imagePixels: Bool = false) throws {
        let x = data.train.features
        guard x.rank >= 2, x.shape[0] > 1 else { return }
        let n = x.shape[0], d = x.count / n
        let values = x.toArray(as: Double.self)
        let names = data.preprocessing.table?.encoder.outputNames
        func isConstant(_ j: Int) -> Bool {
            let first = values[j]
            return (1..<n).allSatisfy { values[$0 * d + j] == first }
        }
        if imagePixels {
            guard (0..<d).allSatisfy(isConstant) else { return }
            throw DataError.invalidFormat(
                file: file, reason: "every pixel is constant over the \(n) training images: there is nothing to cluster or project on")
        }
        for j in 0..<d {
            guard isConstant(j) else { continue }
            let name = names.map { j < $0.count ? "column '\($0[j])'" : "feature \(j)" } ?? "feature \(j)"
            throw DataError.invalidFormat(
                file: file,
                reason: "\(name) is constant over the \(n) training rows: it carries nothing to cluster or project on; leave it out with data.drop")
        }
    }
}
