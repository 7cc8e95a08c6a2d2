import Foundation
import TrainKit
import TrainKitRegistry

/// `model.json` (snake_case keys; files written with camelCase keys still read): everything besides the weights that `evaluate`, `predict` and `info` need — the
/// architecture, the fitted preprocessing, the class names and the final metrics — beside
/// `weights.safetensors` (readable by PyTorch's `safetensors`).
public struct ModelArtifact: Codable, Sendable {
    public static let currentFormat = 1
    public var format = ModelArtifact.currentFormat
    public var createdBy = "trainkit"
    public var spec: ModelSpec
    public var preprocessing: Preprocessing
    /// Class names (classification), output `i` is `labels[i]`.
    public var labels: [String]?
    public var metrics: [String: Double]
    public var parameterCount: Int
    /// Parameter and buffer names with their shapes, in model order.
    public var tensors: [TensorEntry]
    /// The weights file, relative to model.json.
    public var weights = "weights.safetensors"
    public var config: RunConfig?

    public struct TensorEntry: Codable, Sendable, Equatable {
        public var name: String
        public var shape: [Int]
    }

    init(spec: ModelSpec, preprocessing: Preprocessing, model: any Layer, metrics: [String: Double], config: RunConfig) {
        self.spec = spec
        self.preprocessing = preprocessing
        self.labels = preprocessing.classes
        self.metrics = metrics
        self.parameterCount = model.parameterCount
        let state = model.stateDict()
        self.tensors = model.stateDictKeys.map { TensorEntry(name: $0, shape: state[$0]?.shape ?? []) }
        self.config = config
    }

    // MARK: - Files

    /// Writes `model.json` and the weights into `directory` (each file replaced atomically).
    func write(model: any Layer, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try model.save(to: directory.appendingPathComponent(weights).path, metadata: ["format": "pt"])
        try AtomicFile.write(try JSONCoding.encodeModelFile(self), to: directory.appendingPathComponent("model.json"))
    }

    /// The model.json of a run directory, a model directory, a model.json file or a weights file beside one.
    public static func locate(_ path: String) throws -> URL {
        let fm = FileManager.default
        // `NAME@3`, `NAME@production`: a registered version (docs/registry.md), unless a file has that name.
        if !fm.fileExists(atPath: path) && ModelReference.looksLikeReference(path) { return try RegistryModels.modelFile(path) }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError.usage("\(path): no such run directory or model file")
        }
        let url = URL(fileURLWithPath: path)
        let candidates: [URL]
        if isDirectory.boolValue {
            candidates = [url.appendingPathComponent("model/model.json"), url.appendingPathComponent("model.json")]
        } else if url.pathExtension == "json" {
            candidates = [url]
        } else {
            candidates = [url.deletingLastPathComponent().appendingPathComponent("model.json")]
        }
        guard let found = candidates.first(where: { fm.fileExists(atPath: $0.path) }) else {
            let previous = url.appendingPathComponent(RunContents.previousName).appendingPathComponent("model")
            let hint = isDirectory.boolValue && fm.fileExists(atPath: previous.appendingPathComponent("model.json").path)
                ? "a run over it is in progress or was interrupted; the model of the finished run before it is in \(previous.path)"
                : "is training finished?"
            throw ConfigError.usage("\(path): no model.json found (looked for \(candidates.map(\.path).joined(separator: ", "))); \(hint)")
        }
        return found
    }

    /// Reads model.json and builds the model with its weights.
    ///
    /// Model files are data: every problem with model.json or the weights (not JSON, another format, a spec or
    /// preprocessing that fails ``validate(file:elements:)``, a damaged or mismatched weights file, integer or
    /// non-finite weights: ``checkWeights(_:model:file:)``) is a
    /// `DataError` naming the file (exit status 3), raised before the model is built where it can be.
    public static func load(_ path: String) throws -> (artifact: ModelArtifact, model: any Layer, url: URL) {
        let url = try locate(path)
        let artifact: ModelArtifact
        do {
            artifact = try JSONCoding.decodeModelFile(ModelArtifact.self, from: try Data(contentsOf: url))
        } catch {
            throw DataError.invalidFormat(file: url.path, reason: "not a TrainKit model.json (\(error))")
        }
        guard artifact.format == currentFormat else {
            throw DataError.invalidFormat(file: url.path, reason: "model format \(artifact.format), this trainkit reads \(currentFormat)")
        }
        let weights = url.deletingLastPathComponent().appendingPathComponent(artifact.weights)
        let tensors: [String: Tensor]
        do {
            tensors = try SafeTensors.read(from: weights).tensors
        } catch let error as SafeTensorsError {
            throw DataError.invalidFormat(file: weights.path, reason: "cannot load the weights: invalid safetensors file: \(error.reason)")
        }
        try artifact.validate(file: url.path, elements: tensors.values.reduce(0) { $0 + $1.count })
        if artifact.spec.kind.isUnsupervised {
            return (artifact, try FittedEstimator(kind: artifact.spec.kind, stateTensors: tensors, file: weights.path), url)
        }
        let model = ModelFactory.build(artifact.spec)
        try checkWeights(tensors, model: model, file: weights.path)
        do {
            try model.load(stateDict: tensors)
        } catch {
            throw DataError.invalidFormat(file: weights.path, reason: "cannot load the weights: \(error)")
        }
        model.isTraining = false
        return (artifact, model, url)
    }
}

/// JSON with sorted keys, pretty printed, and NaN / infinities written as strings.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true,
                                     keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = keys
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data,
                                     keys: JSONDecoder.KeyDecodingStrategy = .useDefaultKeys) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = keys
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(type, from: data)
    }
}
