import Foundation
import TrainKit
import TrainKitRegistry

/// What can stop a warm start (`train --init-from`, `retrain`); each case names the source and what differs.
enum WarmStartError: Error, CustomStringConvertible, Equatable {
    /// The config builds a parameter of another shape than the source's (the architecture differs).
    case shapeMismatch(source: String, parameter: String, expected: [Int], actual: [Int], refit: Bool)
    /// The config's model has a parameter the source does not.
    case missingParameter(source: String, parameter: String)
    /// The new training data has classes the source's preprocessing does not know.
    case newClasses(file: String, column: String, classes: [String], known: [String])
    /// A source or a config a warm start cannot use (an unsupervised model, preprocessing it cannot keep).
    case unsupported(String)
    /// `retrain --append`: the old training file is gone.
    case missingTrainingData(model: String, file: String)
    /// `retrain --append`: the old training file no longer matches its recorded SHA-256.
    case changedTrainingData(model: String, file: String, recorded: String, actual: String)

    var description: String {
        switch self {
        case let .shapeMismatch(source, parameter, expected, actual, refit):
            let hint = refit
                ? "; the refit preprocessing encodes the new data into another number of features than the source's first layer takes (leave out --refit-preprocessing to keep the source's)"
                : "; the config's model architecture differs from the source's (compare model: in the configs)"
            return "--init-from \(source): parameter '\(parameter)' has shape \(expected) in the config's model but \(actual) in the source\(hint)"
        case let .missingParameter(source, parameter):
            return "--init-from \(source): the source has no parameter '\(parameter)', which the config's model has; the architectures differ"
        case let .newClasses(file, column, classes, known):
            return "\(file): \(column) has class\(classes.count == 1 ? "" : "es") \(classes.map { "\"\($0)\"" }.joined(separator: ", ")) that the --init-from model does not know (its classes: \(known.joined(separator: ", "))); the source's output layer has no unit for \(classes.count == 1 ? "it" : "them")"
        case let .unsupported(reason):
            return reason
        case let .missingTrainingData(model, file):
            return "\(model): its training file \(file) is gone; --append needs the old training data (retrain without --append to train on the new file alone)"
        case let .changedTrainingData(model, file, recorded, actual):
            return "\(model): its training file \(file) has changed since it was registered (SHA-256 \(actual), recorded \(recorded)); --append needs the data the model was trained on"
        }
    }

    /// 2 when the command line or the config does not fit the source, 3 when the data does not.
    var exitStatus: ExitStatus {
        switch self {
        case .shapeMismatch, .missingParameter, .unsupported: return .usage
        case .newClasses, .missingTrainingData, .changedTrainingData: return .dataError
        }
    }
}

/// Where a warm-started run came from: `lineage.json` in its run directory. `models register` takes the
/// registered source as the version's parent when `--parent` is not given.
struct Lineage: Codable, Equatable {
    /// The source as given (`wine@production`, `runs/wine`).
    var source: String
    /// The model.json the weights came from.
    var model: String
    /// For a registered source: the model's name, the version the reference resolved to, and the store.
    var name: String?
    var version: Int?
    var store: String?
    /// `kept` (the source's fitted preprocessing) or `refit`.
    var preprocessing: String
    /// `kept` when the run started from the source's optimizer state (`--init-optimizer`); nil: a fresh optimizer.
    var optimizer: String? = nil

    static let fileName = "lineage.json"

    /// `NAME@V` of a registered source.
    var parent: ModelReference? {
        guard let name, let version else { return nil }
        return ModelReference(name: name, selector: .version(version))
    }

    static func read(runDirectory: URL) throws -> Lineage? {
        let url = runDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONCoding.decode(Lineage.self, from: try Data(contentsOf: url))
        } catch {
            throw DataError.invalidFormat(file: url.path, reason: "not a TrainKit lineage.json (\(error))")
        }
    }
}

/// A warm start: the source model (weights and fitted preprocessing) a new run starts from.
///
/// The new model is built from the config as usual; then every parameter and buffer is copied from the source,
/// each checked for its shape first (``WarmStartError/shapeMismatch(source:parameter:expected:actual:refit:)``).
/// By default the run keeps the source's preprocessing (CSV tables: the same input columns, encoder and
/// classes) and warns when the new training data drifts outside it (``WarmStartDrift``); `refit` fits it anew.
struct WarmStart {
    var source: String
    var modelFile: URL
    var artifact: ModelArtifact
    var model: any Layer
    /// A registered source: the version its reference resolved to (`NAME@V`) and the store's label.
    var registered: ModelReference?
    var store: String?
    var refit: Bool
    /// `--init-optimizer`: the run also starts from the source's optimizer state (``OptimizerStateFile``).
    var initOptimizer = false

    /// Opens `source`: a run directory, a model directory or model.json, or a registered `NAME@V` /
    /// `NAME@ALIAS` (in `store`, else the store of `$TRAINKIT_STORE` or the default).
    static func open(_ source: String, refit: Bool, initOptimizer: Bool = false, store: StoreLocation? = nil) throws -> WarmStart {
        var registered: ModelReference? = nil
        var storeLabel: String? = nil
        let path: String
        if !FileManager.default.fileExists(atPath: source) && ModelReference.looksLikeReference(source) {
            let location = try store ?? StoreLocation.resolve(store: nil, artifacts: nil)
            let opened = try location.open()
            defer { opened.close() }
            let version = try opened.resolve(try ModelReference(parsing: source))
            path = try opened.modelFolder(version).appendingPathComponent("model/model.json").path
            registered = ModelReference(name: version.name, selector: .version(version.version))
            storeLabel = opened.label
        } else {
            path = source
        }
        let (artifact, model, url) = try ModelArtifact.load(path)
        guard !artifact.spec.kind.isUnsupervised else {
            throw WarmStartError.unsupported(
                "--init-from \(source): a \(artifact.spec.kind.rawValue) model has no weights to start a network from")
        }
        return WarmStart(source: source, modelFile: url, artifact: artifact, model: model, registered: registered,
                         store: storeLabel, refit: refit, initOptimizer: initOptimizer)
    }

    /// The preprocessing a run keeps, or nil when it refits.
    var keptPreprocessing: Preprocessing? { refit ? nil : artifact.preprocessing }

    /// Checks that `config` can start from the source before any data is read.
    func check(_ config: RunConfig) throws {
        guard !config.model.kind.isUnsupervised else {
            throw WarmStartError.unsupported("--init-from: a \(config.model.kind.rawValue) model is fitted, not trained from weights")
        }
        if initOptimizer && config.model.kind == .linear {
            throw WarmStartError.unsupported("--init-optimizer: a linear model is fitted in closed form; it has no optimizer to start (leave out --init-optimizer)")
        }
        if !refit {
            let pre = artifact.preprocessing
            guard config.data.format == pre.format else {
                throw WarmStartError.unsupported(
                    "--init-from \(source): the source reads \(pre.format.rawValue) data, the config \(config.data.format.rawValue); its preprocessing cannot encode the new data (pass --refit-preprocessing to fit it anew)")
            }
            let keepable = pre.table != nil || pre.text != nil || pre.images != nil
            guard keepable, pre.format != .ratings else {
                throw WarmStartError.unsupported(
                    "--init-from \(source): a \(pre.format.rawValue) model's preprocessing (its user and item maps) cannot be kept for new data; pass --refit-preprocessing to fit it anew")
            }
        }
    }

    /// The architecture choices a run makes from its data's size (``SmallTableDefaults``: the linear start, and
    /// the hidden width and dropout when the config leaves them unset) follow the source, so that new data of
    /// another size still builds the source's architecture.
    func adoptDataDependentDefaults(_ spec: inout ModelSpec, config: RunConfig) {
        spec.linearStart = artifact.spec.linearStart
        if config.model.hidden == nil && config.model.dropout == 0 {
            spec.hidden = artifact.spec.hidden
            spec.dropout = artifact.spec.dropout
        }
    }

    /// Copies the source's weights into `model` (built from the config), checking each tensor's shape first.
    func loadWeights(into model: any Layer) throws {
        let from = self.model.stateDict()
        let current = model.stateDict()
        for name in model.stateDictKeys {
            guard let stored = from[name] else { throw WarmStartError.missingParameter(source: source, parameter: name) }
            let expected = current[name]?.shape ?? []
            guard stored.shape == expected else {
                throw WarmStartError.shapeMismatch(source: source, parameter: name, expected: expected,
                                                   actual: stored.shape, refit: refit)
            }
        }
        let wanted = Set(model.stateDictKeys)
        try model.load(stateDict: from.filter { wanted.contains($0.key) })
    }

    /// `--init-optimizer`: loads the source's optimizer state into `optimizer` (built from the config over the
    /// warm-started model), keeping the config's hyperparameters. Call it after ``loadWeights(into:)``.
    ///
    /// - Throws: ``WarmStartError/unsupported(_:)`` when the source has no optimizer state, or when its optimizer
    ///   (rule, groups, parameter shapes) is not the config's, naming both.
    func loadOptimizerState(into optimizer: any OptimizerProtocol) throws {
        guard let saved = try OptimizerStateFile.read(besideModel: modelFile) else {
            throw WarmStartError.unsupported(
                "--init-optimizer: \(source) has no optimizer state (\(modelFile.deletingLastPathComponent().appendingPathComponent(OptimizerStateFile.fileName).path) is missing: the model was fitted without an optimizer or saved by an older TrainKit); leave out --init-optimizer to start a fresh optimizer")
        }
        let current = optimizer.stateDict()
        guard saved.metadata.rule == current.metadata.rule else {
            throw WarmStartError.unsupported(
                "--init-optimizer: \(source) was trained with '\(saved.metadata.rule)', the config's training.optimizer is '\(current.metadata.rule)'; use the same optimizer or leave out --init-optimizer")
        }
        do {
            try optimizer.load(stateDict: OptimizerStateFile.adopting(saved, hyperparametersOf: current))
        } catch {
            throw WarmStartError.unsupported("--init-optimizer: \(source)'s optimizer state does not fit the config's optimizer: \(error)")
        }
    }

    var lineage: Lineage {
        var version: Int? = nil
        if case .version(let v)? = registered?.selector { version = v }
        return Lineage(source: source, model: modelFile.path, name: registered?.name, version: version,
                       store: store, preprocessing: refit ? "refit" : "kept", optimizer: initOptimizer ? "kept" : nil)
    }

    func writeLineage(to runDirectory: URL) throws {
        try AtomicFile.write(try JSONCoding.encode(lineage), to: runDirectory.appendingPathComponent(Lineage.fileName))
    }
}

/// How far new training data lies outside a kept preprocessing: numeric columns whose mean moved more than
/// three of the source's training standard deviations, and categories the encoder never saw.
enum WarmStartDrift {
    static let limit = 3.0

    /// One warning per drifting column of `table` (the input columns, as ``TablePreprocessing/inputTable(_:)``
    /// gives them).
    static func warnings(_ encoder: TabularEncoder, table: DataTable) -> [String] {
        var warnings: [String] = []
        for step in encoder.steps {
            guard let column = table[step.name] else { continue }
            if let scaler = step.standardScaler, let mean = scaler.mean.first, let std = scaler.std.first,
               let numbers = column.numbers {
                let finite = numbers.filter(\.isFinite)
                guard !finite.isEmpty else { continue }
                let newMean = finite.reduce(0, +) / Double(finite.count)
                let distance = abs(newMean - mean) / max(std, 1e-12)
                if distance > limit {
                    warnings.append(String(
                        format: "column '%@' drifts outside the --init-from model's preprocessing: its mean is %.4g, the source's training mean %.4g (std %.4g): %.1f standard deviations away (pass --refit-preprocessing to fit it anew)",
                        step.name, newMean, mean, std, distance))
                }
            }
            if let categories = step.oneHot?.categories ?? step.ordinal?.categories {
                let known = Set(categories)
                let unseen = Set(column.asStrings().compactMap { $0 }).subtracting(known).sorted()
                if !unseen.isEmpty {
                    warnings.append(
                        "column '\(step.name)' has categor\(unseen.count == 1 ? "y" : "ies") the --init-from model's encoder never saw: \(unseen.prefix(10).joined(separator: ", "))\(unseen.count > 10 ? ", ..." : "") (encoded as unknown; pass --refit-preprocessing to fit it anew)")
                }
            }
        }
        return warnings
    }
}
