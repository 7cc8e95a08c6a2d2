import Foundation
import TrainKit
import TrainKitONNX

/// Writes a trained run's model as ONNX (`trainkit export --format onnx`): the network with its trained weights
/// and the preprocessing saved in model.json folded in, so raw values go in. docs/interop.md lists the inputs and
/// outputs per model kind.
public enum ONNXExport {
    /// Exports the model of a run directory, model directory or model.json to `output` (default: `model.onnx`
    /// beside model.json) and returns the file written.
    /// - Throws: what ``ModelArtifact/load(_:)`` throws for a damaged model; ``ONNXExportError`` for a model
    ///   the exporter does not cover.
    @discardableResult
    public static func export(_ path: String, to output: String? = nil) throws -> URL {
        let (artifact, model, url) = try ModelArtifact.load(path)
        let graph = try graph(artifact: artifact, model: model)
        let destination = output.map { URL(fileURLWithPath: $0) }
            ?? url.deletingLastPathComponent().appendingPathComponent("model.onnx")
        try AtomicFile.write(graph.serializedData(), to: destination)
        return destination
    }

    /// The ONNX graph of a loaded model.
    public static func graph(artifact: ModelArtifact, model: any Layer) throws -> ONNXGraph {
        let spec = artifact.spec
        let pre = artifact.preprocessing
        var graph = ONNXGraph(name: "trainkit_\(spec.kind.rawValue)")
        let features = try inputs(&graph, artifact: artifact)
        if let autoencoder = model as? Autoencoder {
            let code = try graph.apply(autoencoder.encoder, to: features, path: "encoder")
            let reconstruction = try graph.apply(autoencoder.decoder, to: code, path: "decoder")
            let diff = graph.node("Sub", [reconstruction, features], name: "residual")
            let error = graph.node("ReduceMean", [graph.node("Mul", [diff, diff], name: "squared")],
                                   attributes: ["axes": .ints([1]), "keepdims": .int(0)], name: "mse")
            try graph.addOutput(error, name: "reconstruction_error", type: .float, shape: [.batch])
            try graph.addOutput(code, name: "code", type: .float, shape: [.batch, .fixed(spec.latentDim ?? 8)])
            try graph.addOutput(reconstruction, name: "reconstruction", type: .float, shape: [.batch, .fixed(spec.inputSize)])
            return graph
        }
        if let fitted = model as? FittedEstimator {
            switch fitted.model {
            case .kmeans(let m): try graph.addKMeansOutputs(m, features: features)
            case .pca(let m): try graph.addPCAOutputs(m, features: features)
            case .gmm(let m): try graph.addGaussianMixtureOutputs(m, features: features)
            }
            return graph
        }
        let outputs = try graph.apply(model, to: features)
        switch pre.task {
        case .classification:
            try graph.addClassifierOutputs(logits: outputs, classes: artifact.labels ?? pre.classes ?? [])
        case .regression:
            try graph.addRegressionOutput(outputs)
        default:
            throw ONNXExportError.unsupportedModel("task '\(pre.task.rawValue)' of model kind '\(spec.kind.rawValue)'")
        }
        return graph
    }

    /// Declares the graph inputs for the data format and returns the model input they make.
    private static func inputs(_ graph: inout ONNXGraph, artifact: ModelArtifact) throws -> String {
        let pre = artifact.preprocessing
        switch pre.format {
        case .csv:
            guard let table = pre.table else { throw ONNXExportError.unsupportedModel("model.json has no table preprocessing") }
            return try graph.addTableInputs(table.encoder, missingValues: Set(table.read.missingValues))
        case .idx:
            guard let images = pre.images else { throw ONNXExportError.unsupportedModel("model.json has no image preprocessing") }
            return try graph.addImageInput(shape: images.imageShape, mean: images.normalization?.mean,
                                           std: images.normalization?.std, flatten: images.flatten)
        case .ratings:
            guard let ratings = pre.ratings else { throw ONNXExportError.unsupportedModel("model.json has no ratings preprocessing") }
            return try graph.addRatingInputs(users: ratings.users.ids, items: ratings.items.ids)
        case .text:  // tokenization stays outside the graph: the input is the padded token ids
            guard let text = pre.text else { throw ONNXExportError.unsupportedModel("model.json has no text preprocessing") }
            return try graph.addInput("tokens", type: .int64, shape: [.batch, .fixed(text.maxLength)])
        }
    }
}
