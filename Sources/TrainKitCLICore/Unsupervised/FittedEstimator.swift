import TrainKit

/// A fitted `kmeans`, `pca` or `gmm` model as a ``Layer``, so that it is saved, listed and loaded like the
/// other kinds: its state dict is the library's `stateTensors` (scikit-learn's attribute names:
/// `cluster_centers`, `components`, `means`, ...) as buffers, written to weights.safetensors.
///
/// `forward` is the model's natural output: distances to the centres (`kmeans`, scikit-learn's `transform`),
/// the projection on the components (`pca`), the component probabilities (`gmm`, `predict_proba`).
final class FittedEstimator: Layer {
    enum Model {
        case kmeans(KMeansModel)
        case pca(PCAModel)
        case gmm(GaussianMixtureModel)
    }

    let moduleState = ModuleState()
    let model: Model
    private let state: [(name: String, buffer: Buffer)]

    init(_ model: Model) {
        self.model = model
        let tensors: [String: Tensor]
        switch model {
        case .kmeans(let m): tensors = m.stateTensors
        case .pca(let m): tensors = m.stateTensors
        case .gmm(let m): tensors = m.stateTensors
        }
        state = tensors.keys.sorted().map { ($0, Buffer(tensors[$0]!)) }
    }

    /// The model of `kind` from its saved state (model.json's `spec.kind`, weights.safetensors).
    /// - Throws: `DataError` naming `file` when the tensors do not make a valid model.
    convenience init(kind: ModelKind, stateTensors tensors: [String: Tensor], file: String) throws {
        do {
            switch kind {
            case .kmeans: self.init(.kmeans(try KMeansModel(stateTensors: tensors)))
            case .pca: self.init(.pca(try PCAModel(stateTensors: tensors)))
            case .gmm: self.init(.gmm(try GaussianMixtureModel(stateTensors: tensors)))
            default: throw DataError.invalidFormat(file: file, reason: "model kind '\(kind.rawValue)' is not unsupervised")
            }
        } catch let error as UnsupervisedError {
            throw DataError.invalidFormat(file: file, reason: "cannot load the \(kind.rawValue) model: \(error)")
        }
    }

    var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries { state.map { ($0.name, ModuleEntry.buffer($0.buffer)) } }
    }

    /// Clusters (`kmeans`, `gmm`) or components (`pca`).
    var outputCount: Int {
        switch model {
        case .kmeans(let m): m.nClusters
        case .pca(let m): m.nComponents
        case .gmm(let m): m.nComponents
        }
    }

    /// The cluster of every row (`kmeans`, `gmm`; nil for `pca`).
    func clusters(_ x: Tensor) throws -> Tensor? {
        switch model {
        case .kmeans(let m): try m.predict(x)
        case .gmm(let m): try m.predict(x)
        case .pca: nil
        }
    }

    func output(_ x: Tensor) throws -> Tensor {
        switch model {
        case .kmeans(let m): try m.transform(x)
        case .pca(let m): try m.transform(x)
        case .gmm(let m): try m.predictProba(x)
        }
    }

    func forward(_ x: Tensor) -> Tensor {
        do { return try output(x) } catch { preconditionFailure("\(error)") }
    }
}
