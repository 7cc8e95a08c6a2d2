import TrainKit

/// A run's data, ready to train on: the splits as in-memory datasets and the fitted preprocessing.
struct PreparedData {
    var train: TensorDataset
    var validation: TensorDataset?
    var test: TensorDataset?
    var preprocessing: Preprocessing
    /// Problems worth a `warning:` line that do not stop the run (a numeric-looking column read as categories).
    var warnings: [String] = []
    /// How a CSV run chose its task (``TaskChoice``): one line for the log, nil for other formats.
    var taskNote: String?

    /// Reads the config's data as ``prepare(_:rows:)`` does and logs it for a run: what is read, each warning
    /// and the task note.
    static func read(_ config: RunConfig, io: CommandIO, kept: Preprocessing? = nil) throws -> PreparedData {
        io.progress("reading \(config.data.format.rawValue) data from \(config.data.train)")
        let data = try prepare(config, kept: kept)
        for warning in data.warnings { io.progress("warning: \(warning)") }
        if let note = data.taskNote { io.progress(note) }
        return data
    }

    /// Reads and splits the data a config names, fitting the preprocessing on the training rows only, and checks
    /// that images fit the model's convolution stages (``ImageGeometry``).
    /// - Parameter rows: rows of `data.train` to use instead of the seeded split (a cross-validation fold); the
    ///   test rows then come from `data.train` too and `data.test` is not read.
    /// - Parameter kept: a warm start's preprocessing to keep (tables, images, texts; ``WarmStart``).
    static func prepare(_ config: RunConfig, rows: SplitPlan? = nil, kept: Preprocessing? = nil) throws -> PreparedData {
        if config.model.kind.isUnsupervised { return try UnsupervisedData.prepare(config, rows: rows) }
        var config = config
        if rows != nil { config.data.test = nil }
        var data: PreparedData
        switch config.data.format {
        case .csv: data = try TablePipeline.prepare(config, rows: rows, kept: kept)
        case .idx: data = try ImagePipeline.prepare(config, rows: rows, kept: kept)
        case .text: data = try TextPipeline.prepare(config, rows: rows, kept: kept)
        case .ratings: data = try RatingsPipeline.prepare(config, rows: rows)
        }
        if config.model.kind == .autoencoder { data = data.reconstructing() }
        guard data.train.count > 0 else {
            throw DataError.invalidFormat(file: config.data.train, reason: "no training rows are left after the splits")
        }
        try ImageGeometry.check(config, images: data.preprocessing.images)
        return data
    }

    /// The same inputs with themselves as the targets (an autoencoder's data); class labels are dropped.
    func reconstructing() -> PreparedData {
        func own(_ d: TensorDataset) -> TensorDataset { TensorDataset(features: d.features, labels: d.features) }
        var result = PreparedData(train: own(train), validation: validation.map(own), test: test.map(own),
                                  preprocessing: preprocessing)
        result.preprocessing.task = .reconstruction
        result.warnings = warnings
        result.taskNote = nil
        result.preprocessing.classes = nil
        return result
    }

    /// One line for the log: `train 1151, validation 128, test 320 rows`.
    var summary: String {
        "train \(train.count), validation \(validation?.count ?? 0), test \(test?.count ?? 0) examples"
    }
}
