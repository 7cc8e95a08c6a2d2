import Foundation
import TrainKit

/// A trained table model behind the inference server: its run's preprocessing turns raw feature rows (numbers
/// and category strings) into model inputs, and its outputs become Open Inference Protocol tensors.
///
/// Inputs, either form:
/// - rows: one tensor of shape `[N, C]` (any name; `C` = the number of input columns, in ``inputColumns``
///   order), `FP32`/`FP64`/`INT64` when every column is a number, `BYTES` (strings) when some are categories;
/// - columns: one tensor per input column, named as the column, shape `[N]` or `[N, 1]`.
///
/// Outputs (all rows first): classification `prediction` (BYTES `[N]`, the class) and `probabilities`
/// (FP32 `[N, K]`); regression `prediction` (FP32 `[N]`, or `[N, T]` for T targets); an autoencoder
/// `reconstruction_error` (FP32 `[N]`) and `code` (FP32 `[N, D]`); k-means `cluster` (INT64 `[N]`) and
/// `distances`, a mixture `cluster` and `probabilities`, PCA `components`.
///
/// Not thread-safe: one ``InferenceBatcher`` worker calls ``predict(_:)``.
public final class ServedModel: @unchecked Sendable {
    public let name: String
    public let version: String
    /// Where the model was loaded from (a run or model directory).
    public let path: String
    /// The directory holding model.json and its weights.
    public let modelDirectory: String
    public let inputColumns: [String]
    private let artifact: ModelArtifact
    private let layer: any Layer
    private let table: TablePreprocessing
    private let stringColumns: Set<String>

    /// Loads the model saved at `path` (a run directory, a model directory or its model.json).
    public init(path: String, name: String, version: String = "1") throws {
        let (artifact, layer, url) = try ModelArtifact.load(path)
        guard artifact.preprocessing.format == .csv, let table = artifact.preprocessing.table else {
            throw ConfigError.usage("\(path): this model reads \(artifact.preprocessing.format.rawValue) data; the server takes table (CSV) models")
        }
        self.name = name
        self.version = version
        self.path = path
        modelDirectory = url.deletingLastPathComponent().path
        self.artifact = artifact
        self.layer = layer
        self.table = table
        inputColumns = table.inputColumns
        stringColumns = Set(table.inputColumns.filter { table.read.columnTypes[$0] == .string })
    }

    /// The input datatype of the row form: numbers unless some column holds strings.
    public var rowDatatype: InferenceDatatype { stringColumns.isEmpty ? .fp32 : .bytes }

    /// The outputs' names, datatypes and shapes (`-1`: any size).
    public var outputSignature: [(name: String, datatype: InferenceDatatype, shape: [Int])] {
        if let fitted = layer as? FittedEstimator {
            switch fitted.model {
            case .kmeans: return [("cluster", .int64, [-1]), ("distances", .fp32, [-1, -1])]
            case .gmm: return [("cluster", .int64, [-1]), ("probabilities", .fp32, [-1, -1])]
            case .pca: return [("components", .fp32, [-1, -1])]
            }
        }
        if layer is Autoencoder { return [("reconstruction_error", .fp32, [-1]), ("code", .fp32, [-1, -1])] }
        if artifact.preprocessing.task == .classification, let classes = artifact.labels {
            return [("prediction", .bytes, [-1]), ("probabilities", .fp32, [-1, classes.count])]
        }
        return [("prediction", .fp32, [-1])]
    }

    /// `GET /v2/models/{name}`: name, versions, platform, inputs and outputs.
    public var metadataJSON: String {
        func tensor(_ name: String, _ type: InferenceDatatype, _ shape: [Int]) -> String {
            "{\"name\":\(InferenceJSON.quoted(name)),\"datatype\":\"\(type.rawValue)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))]}"
        }
        let inputs = tensor("input", rowDatatype, [-1, inputColumns.count])
        let outputs = outputSignature.map { tensor($0.name, $0.datatype, $0.shape) }.joined(separator: ",")
        let columns = inputColumns.map(InferenceJSON.quoted).joined(separator: ",")
        return "{\"name\":\(InferenceJSON.quoted(name)),\"versions\":[\(InferenceJSON.quoted(version))],\"platform\":\"trainkit\","
            + "\"inputs\":[\(inputs)],\"outputs\":[\(outputs)],\"parameters\":{\"columns\":[\(columns)]}}"
    }

    // MARK: - Requests to rows

    /// The request's inputs as a table of the model's input columns (400 for anything that does not fit).
    public func rows(_ request: InferenceRequest) throws(InferenceError) -> DataTable {
        let c = inputColumns.count
        var values: [String: (InferenceInput, stride: Int, offset: Int)] = [:]
        var n: Int
        if request.inputs.count == 1, let only = request.inputs.first, !inputColumns.contains(only.name) || c == 1 && only.shape.count == 2 {
            guard only.shape.count == 2, only.shape[1] == c else {
                throw .badRequest("input '\(only.name)': shape \(only.shape), expected [N, \(c)] (one value per input column: \(inputColumns.joined(separator: ", "))) or one input per column")
            }
            n = only.shape[0]
            for (j, column) in inputColumns.enumerated() { values[column] = (only, c, j) }
        } else {
            let known = Set(inputColumns)
            for input in request.inputs where !known.contains(input.name) {
                throw .badRequest("unknown input '\(input.name)'; the model's input columns are \(inputColumns.joined(separator: ", ")) (or send one [N, \(c)] tensor)")
            }
            guard let first = request.inputs.first else { throw .badRequest("the request has no inputs") }
            n = first.shape.first ?? 0
            for input in request.inputs {
                guard input.shape == [n] || input.shape == [n, 1] else {
                    throw .badRequest("input '\(input.name)': shape \(input.shape), expected [\(n)] or [\(n), 1] like '\(first.name)'")
                }
                values[input.name] = (input, 1, 0)
            }
            if let missing = inputColumns.first(where: { values[$0] == nil }) {
                throw .badRequest("missing input '\(missing)' (the model's input columns are \(inputColumns.joined(separator: ", ")))")
            }
        }
        guard n > 0 else { throw .badRequest("the request has no rows") }
        let missing = Set(table.read.missingValues)
        var columns: [Column] = []
        for column in inputColumns {
            let (input, stride, offset) = values[column]!
            let at = { (r: Int) in "input '\(input.name)' row \(r) column '\(column)'" }
            switch input.values {
            case .numbers(let x):
                var col = [Double](repeating: 0, count: n)
                for r in 0..<n {
                    let v = x[r * stride + offset]
                    guard Float(v).isFinite else { throw .badRequest("\(at(r)): \(v) does not fit a 32-bit float") }
                    col[r] = v
                }
                columns.append(stringColumns.contains(column) ? .string(Column.numeric(col).asStrings()) : .numeric(col))
            case .integers(let x):
                let col = (0..<n).map { Double(x[$0 * stride + offset]) }
                columns.append(stringColumns.contains(column) ? .string(Column.numeric(col).asStrings()) : .numeric(col))
            case .strings(let s):
                if stringColumns.contains(column) {
                    columns.append(.string((0..<n).map { r in
                        let v = s[r * stride + offset]
                        return missing.contains(v) ? nil : v
                    }))
                } else {
                    var col = [Double](repeating: 0, count: n)
                    for r in 0..<n {
                        let v = s[r * stride + offset]
                        if missing.contains(v) { col[r] = .nan; continue }
                        guard let x = Double(v.trimmingCharacters(in: .whitespaces)), Float(x).isFinite else {
                            throw .badRequest("\(at(r)): '\(v)' is not a number (the column is numeric)")
                        }
                        col[r] = x
                    }
                    columns.append(.numeric(col))
                }
            }
        }
        return DataTable(columnNames: inputColumns, columns: columns, source: "request")
    }

    // MARK: - Prediction

    /// The model's outputs for `rows` (a table of ``inputColumns``), all rows first.
    public func predict(_ rows: DataTable) throws -> [InferenceOutput] {
        let features = try table.features(rows)
        let n = rows.rowCount
        if let fitted = layer as? FittedEstimator {
            let values = try fitted.output(features)
            var outputs: [InferenceOutput] = []
            if let clusters = try fitted.clusters(features) {
                outputs.append(InferenceOutput(name: "cluster", datatype: .int64, width: nil,
                                               values: .integers(clusters.toArray(as: Int64.self))))
            }
            let key = switch fitted.model { case .kmeans: "distances"; case .gmm: "probabilities"; case .pca: "components" }
            outputs.append(InferenceOutput(name: key, datatype: .fp32, width: values.shape[1],
                                           values: .numbers(values.toArray(as: Double.self))))
            return outputs
        }
        if let autoencoder = layer as? Autoencoder {
            let codes = Evaluation.outputs(layer, features: features, apply: autoencoder.encode)
            let decoded = Evaluation.outputs(layer, features: codes, apply: autoencoder.decoder.callAsFunction)
            let errors = ((decoded - features) * (decoded - features)).mean(1)
            return [InferenceOutput(name: "reconstruction_error", datatype: .fp32, width: nil, values: .numbers(errors.toArray(as: Double.self))),
                    InferenceOutput(name: "code", datatype: .fp32, width: codes.shape[1], values: .numbers(codes.toArray(as: Double.self)))]
        }
        let outputs = Evaluation.outputs(layer, features: features)
        if artifact.preprocessing.task == .classification, let classes = artifact.labels {
            let p = outputs.softmax(-1).toArray(as: Double.self)
            let k = classes.count
            let predicted = (0..<n).map { r -> String in
                var best = 0
                for j in 1..<k where p[r * k + j] > p[r * k + best] { best = j }
                return classes[best]
            }
            return [InferenceOutput(name: "prediction", datatype: .bytes, width: nil, values: .strings(predicted)),
                    InferenceOutput(name: "probabilities", datatype: .fp32, width: k, values: .numbers(p))]
        }
        let width = outputs.shape.count > 1 ? outputs.shape.dropFirst().reduce(1, *) : 1
        return [InferenceOutput(name: "prediction", datatype: .fp32, width: width == 1 ? nil : width,
                                values: .numbers(outputs.reshape([-1]).toArray(as: Double.self)))]
    }
}
