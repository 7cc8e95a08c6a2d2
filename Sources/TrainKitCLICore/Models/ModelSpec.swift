import TrainKit

/// The architecture of a run's model: every number needed to build it again (saved in model.json; the
/// weights go to the safetensors file beside it). ``ModelFactory/build(_:)`` turns it into layers.
public struct ModelSpec: Codable, Equatable, Sendable {
    public var kind: ModelKind
    /// Features per example (`mlp`, `tabular`).
    public var inputSize: Int
    /// Outputs per example: the class count, or 1 for regression.
    public var outputSize: Int
    public var hidden: [Int]
    public var dropout: Double
    public var activation: String
    public var batchNorm: Bool
    /// `[C, H, W]` (`cnn`).
    public var imageShape: [Int]?
    public var channels: [Int]?
    /// Token ids (`text`).
    public var vocabularySize: Int?
    /// Token embedding width (`text`), factor count (`recommender`).
    public var embeddingDim: Int?
    /// Per input column: 0 numeric, `k` categories (`tabular`), and each categorical column's embedding width.
    public var columnCardinalities: [Int]?
    public var columnEmbeddingDims: [Int]?
    /// Id table sizes including the unknown row 0 (`recommender`).
    public var userCount: Int?
    public var itemCount: Int?
    /// The text encoder (`bag`, `lstm`, `transformer`) and its layers and heads; tokens per text.
    public var encoder: String?
    public var layers: Int?
    public var heads: Int?
    public var sequenceLength: Int?
    /// `mf` or `ncf` (`recommender`).
    public var architecture: String?
    /// Code width (`autoencoder`).
    public var latentDim: Int?
    /// Regression outputs are `mean + std · y` (the standardized target scale, fixed at training time).
    public var targetMean: Double?
    public var targetStd: Double?
    /// `mlp` / `tabular` on a small table: the network is ``LinearStartNet``, a linear part fitted like the
    /// `linear` kind plus the usual network starting at zero (``SmallTableDefaults``).
    public var linearStart: Bool?
}

extension ModelSpec {
    /// The spec for a config and its prepared data (default widths per kind filled in).
    init(config: RunConfig, data: PreparedData) {
        let m = config.model
        let pre = data.preprocessing
        let task = pre.task
        kind = m.kind
        outputSize = task == .classification ? pre.classes?.count ?? 2 : 1
        inputSize = data.train.features.rank == 2 ? data.train.features.shape[1] : 0
        dropout = m.dropout
        activation = m.activation
        batchNorm = m.batchNorm
        switch m.kind {
        case .mlp, .tabular: hidden = m.hidden ?? [128, 64]
        case .linear: hidden = []  // one Linear layer, fitted by LinearFit
        case .cnn: hidden = m.hidden ?? [128]
        case .resnet: hidden = m.hidden ?? []
        case .text: hidden = m.hidden ?? [64]
        case .recommender: hidden = m.hidden ?? (m.architecture == "ncf" ? [32, 16] : [])
        case .autoencoder: hidden = m.hidden ?? [64]
        case .kmeans, .pca, .gmm: hidden = []  // fitted by UnsupervisedRun
        }
        if m.kind == .mlp || m.kind == .autoencoder, let images = pre.images {
            imageShape = images.imageShape
            inputSize = images.imageShape.reduce(1, *)
        }
        if m.kind == .cnn || m.kind == .resnet {
            imageShape = pre.images?.imageShape
            channels = m.channels ?? (m.kind == .cnn ? [32, 64] : [16, 32, 64])
        }
        if m.kind == .resnet { layers = m.layers ?? 1 }
        if m.kind == .text {
            vocabularySize = pre.text?.vocabularySize
            embeddingDim = m.embeddingDim ?? 64
            encoder = m.encoder
            if m.encoder != "bag" {
                layers = m.layers ?? (m.encoder == "lstm" ? 1 : 2)
                heads = m.encoder == "transformer" ? m.heads : nil
                sequenceLength = config.data.tokenizer.maxLength
            }
        }
        if m.kind == .autoencoder {
            latentDim = m.latentDim
            outputSize = inputSize
        }
        if m.kind == .tabular, let table = pre.table {
            let cards = table.columnCardinalities
            columnCardinalities = cards
            let cap = m.embeddingDim ?? 16
            columnEmbeddingDims = cards.map { k in
                k == 0 ? 0 : Swift.min(cap, Swift.max(2, Int((1.6 * Foundation.pow(Double(k + 1), 0.56)).rounded())))
            }
        }
        if m.kind == .recommender, let r = pre.ratings {
            userCount = r.users.count + 1
            itemCount = r.items.count + 1
            embeddingDim = m.embeddingDim ?? 16
            targetMean = r.globalMean
            architecture = m.architecture
        }
        if SmallTableDefaults.startsFromLinear(kind: m.kind, task: task, data: data) {
            linearStart = true
            if m.hidden == nil && m.dropout == 0 {  // width and dropout scaled to a small table
                (hidden, dropout) = (SmallTableDefaults.hidden, SmallTableDefaults.dropout)
            }
        }
        if task == .regression && m.kind != .recommender {
            let y = data.train.labels.toArray(as: Double.self)
            let mean = y.reduce(0, +) / Double(Swift.max(y.count, 1))
            let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Swift.max(y.count, 1))
            if config.training.targetScaling == "standardize" {
                targetMean = mean
                targetStd = variance > 0 ? variance.squareRoot() : 1
            }
        }
    }
}

import Foundation
