import TrainKit

/// A run's data, ready to train on: the splits as in-memory datasets and the fitted preprocessing.
struct PreparedData {
    var train: TensorDataset
    var validation: TensorDataset?
    var test: TensorDataset?
    var preprocessing: Preprocessing

    /// Reads and splits the data a config names, fitting the preprocessing on the training rows only.
    static func prepare(_ config: RunConfig) throws -> PreparedData {
        let data: PreparedData
        switch config.data.format {
        case .csv: data = try TablePipeline.prepare(config)
        case .idx: data = try ImagePipeline.prepare(config)
        case .text: data = try TextPipeline.prepare(config)
        case .ratings: data = try RatingsPipeline.prepare(config)
        }
        guard data.train.count > 0 else {
            throw DataError.invalidFormat(file: config.data.train, reason: "no training rows are left after the splits")
        }
        return data
    }

    /// One line for the log: `train 1151, validation 128, test 320 rows`.
    var summary: String {
        "train \(train.count), validation \(validation?.count ?? 0), test \(test?.count ?? 0) examples"
    }
}
