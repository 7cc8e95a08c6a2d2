import Foundation
import TrainKit

/// Everything fitted on the training data that turns a raw file into model inputs: saved in model.json so
/// `evaluate` and `predict` prepare new data exactly as training did. One of the format parts is set.
public struct Preprocessing: Codable, Sendable {
    public var format: DataFormat
    public var task: TaskKind
    /// Class names (classification): output `i` is `classes[i]`.
    public var classes: [String]?
    public var table: TablePreprocessing?
    public var images: ImagePreprocessing?
    public var text: TextPreprocessing?
    public var ratings: RatingsPreprocessing?

    init(format: DataFormat, task: TaskKind, classes: [String]?) {
        self.format = format
        self.task = task
        self.classes = classes
    }

    /// A labelled file as a dataset (for `evaluate`).
    public func labelledData(file: String) throws -> TensorDataset {
        let inputs = try self.inputs(file: file, strictLabels: true)
        guard let labels = inputs.labels else {
            throw DataError.invalidFormat(file: file, reason: "has no labels to evaluate against (\(labelHint))")
        }
        return TensorDataset(features: inputs.features, labels: labels)
    }

    /// A file's model inputs, its labels when it has them, and a name per row (for `predict`).
    /// - Parameter strictLabels: a label the training data did not have is an error (`evaluate`); otherwise
    ///   the labels are left out (`predict`).
    public func inputs(file: String, strictLabels: Bool = false) throws -> PreparedInputs {
        var inputs: PreparedInputs
        switch format {
        case .csv: inputs = try table!.inputs(file: file, classes: classes, task: task, strictLabels: strictLabels)
        case .idx: inputs = try images!.inputs(directory: file)
        case .text: inputs = try text!.inputs(file: file, classes: classes ?? [], strictLabels: strictLabels)
        case .ratings: inputs = try ratings!.inputs(file: file)
        }
        if task == .reconstruction { inputs.labels = inputs.features }
        return inputs
    }

    private var labelHint: String {
        switch format {
        case .csv: "the column '\(table?.target ?? "")'"
        case .idx: "a labels file beside the images"
        case .text: "a label on each line"
        case .ratings: "the column '\(ratings?.ratingColumn ?? "")'"
        }
    }
}

/// Model inputs read from a file: features `[N, ...]`, labels `[N]` when the file has them, row names.
public struct PreparedInputs: Sendable {
    public var features: Tensor
    public var labels: Tensor?
    /// One name per row for prediction output (a row number, a user/item pair, ...).
    public var rowNames: [String]
}
