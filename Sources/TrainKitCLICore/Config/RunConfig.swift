import Foundation

/// A training run as a config file describes it, decoded, checked and with every default filled in.
///
/// Read with ``RunConfig/load(file:overrides:)``; paths are absolute (data paths resolved against the
/// config file's folder). docs/config.md documents every key.
public struct RunConfig: Codable, Equatable, Sendable {
    public var seed: UInt64 = 0
    public var data = DataConfig()
    public var model = ModelConfig()
    public var training = TrainingConfig()
    /// The run directory.
    public var output = ""
    /// Where runs are logged besides the run directory (MLflow).
    public var tracking = TrackingConfig()
    /// What `trainkit pipeline` does after training (gate, register, promote, fall-back search).
    public var pipeline = PipelineConfig()

    public init() {}
}

/// The kind of data file a run reads.
public enum DataFormat: String, Codable, Sendable, CaseIterable {
    /// Delimited text with a header (CSV, TSV, `;`-separated): one row per example.
    case csv
    /// A directory of IDX files (MNIST layout), images and labels.
    case idx
    /// Labelled texts: `label<TAB>text` lines, or a CSV with a text and a label column.
    case text
    /// Explicit ratings: a CSV with user, item and rating columns.
    case ratings
}

/// `data:` — where the examples come from and how they are read and split.
public struct DataConfig: Equatable, Sendable {
    public var train = ""
    public var test: String?
    public var format: DataFormat = .csv
    /// The label column (csv).
    public var target: String?
    /// The feature columns to use (default: every column but the target and `drop`).
    public var features: [String]?
    /// Columns to leave out.
    public var drop: [String] = []
    /// Numeric columns to treat as categories (one-hot or embedded).
    public var categorical: [String] = []
    /// The fraction of the training data held out for validation (0: none).
    public var validationSplit = 0.1
    /// Without a `test` file: the fraction of the data held out as the test set (0: no test set).
    public var testSplit = 0.2
    /// Keep each class's share in the splits (classification).
    public var stratify = true
    /// The field separator (inferred from the file when absent).
    public var delimiter: String?
    public var header = true
    /// Column names (for files without a header, or to rename).
    public var columns: [String]?
    /// Lines starting with this character are skipped.
    public var comment: String?
    public var missingValues: [String] = ["", "?", "NA"]
    /// A suffix removed from a column's values (`{income: "."}` for adult.test).
    public var stripSuffix: [String: String] = [:]
    /// Text data in a CSV: the text and label columns.
    public var textColumn: String?
    public var labelColumn: String?
    /// `label<TAB>text` (true) or `text<TAB>label` lines.
    public var labelFirst = true
    /// Ratings columns.
    public var user = "user"
    public var item = "item"
    public var rating = "rating"
    public var tokenizer = TokenizerConfig()
    /// Standardize image pixels with the training set's mean and standard deviation.
    public var normalize = true

    public init() {}
}

/// `data.tokenizer:` — how texts become token ids.
public struct TokenizerConfig: Equatable, Sendable {
    /// `word` (words and punctuation through a vocabulary) or `bpe` (byte-level BPE).
    public var kind = "word"
    public var vocabSize = 20_000
    public var minFrequency = 1
    /// Tokens kept per text (longer texts are cut).
    public var maxLength = 64
    public var lowercase = true
    /// Word n-grams added as extra tokens (1: words only, 2: words and bigrams).
    public var ngrams = 1

    public init() {}
}

/// The model families `model.kind` can name.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    case mlp, tabular, linear, cnn, resnet, text, recommender, autoencoder
    /// Unsupervised estimators fitted outside the gradient loop (``UnsupervisedRun``): k-means, PCA, Gaussian mixture.
    case kmeans, pca, gmm

    /// True for `kmeans`, `pca` and `gmm`, which learn without labels and are fitted, not trained by epochs.
    public var isUnsupervised: Bool { self == .kmeans || self == .pca || self == .gmm }
}

/// `model:` — the architecture.
public struct ModelConfig: Equatable, Sendable {
    public var kind: ModelKind = .mlp
    /// Hidden layer widths of the MLP part (default by kind).
    public var hidden: [Int]?
    public var dropout = 0.0
    public var activation = "relu"
    /// Embedding width: token embeddings (text), factors (recommender), per-column cap (tabular).
    public var embeddingDim: Int?
    /// Convolution channels of the CNN's blocks.
    public var channels: [Int]?
    /// Batch normalization after each hidden linear layer (mlp, tabular) or convolution (cnn).
    public var batchNorm = false
    /// The text encoder: `bag` (mean of embeddings), `lstm` or `transformer`.
    public var encoder = "bag"
    /// The recommender: `mf` (matrix factorization) or `ncf` (neural collaborative filtering).
    public var architecture = "mf"
    /// Encoder layers (text `lstm`/`transformer`, default 1 / 2) or residual blocks per stage (`resnet`, 1).
    public var layers: Int?
    /// Attention heads (text `transformer`); must divide `embedding_dim`.
    public var heads = 4
    /// The code width of an `autoencoder`.
    public var latentDim = 8
    /// The scikit-learn hyperparameters of `kmeans`, `pca` and `gmm`.
    public var unsupervised = UnsupervisedConfig()

    public init() {}
}

/// What a run learns: labels (classification), numbers (regression), its own inputs (reconstruction,
/// the `autoencoder`), clusters (`kmeans`, `gmm`) or components (`pca`).
public enum TaskKind: String, Codable, Sendable {
    case classification, regression, reconstruction, clustering, decomposition
}

/// `training:` — the loop.
public struct TrainingConfig: Equatable, Sendable {
    /// Inferred from the target column (text: classification; numbers: regression) when absent.
    public var task: TaskKind?
    public var epochs = 20
    public var batchSize = 64
    /// `cross_entropy` (classification), `mse`, `l1` or `huber` (regression); default by task.
    public var loss: String?
    public var labelSmoothing = 0.0
    public var optimizer = OptimizerConfig()
    public var schedule = ScheduleConfig()
    public var earlyStopping: EarlyStoppingConfig?
    public var checkpoint = CheckpointConfig()
    /// Clip the global gradient norm to this value.
    public var gradientClip: Double?
    /// `auto` (a bar on a terminal, lines otherwise), `lines` or `silent`.
    public var progress = "auto"
    /// Regression targets are standardized for training (`standardize`) or left as they are (`none`).
    public var targetScaling = "standardize"
    /// Write TensorBoard event files under `RUN_DIR/tensorboard/`.
    public var tensorboard = false
    /// With `tensorboard`: also weight and gradient histograms every epoch.
    public var tensorboardHistograms = false

    public init() {}
}

/// `training.optimizer:`.
public struct OptimizerConfig: Equatable, Sendable {
    /// `adam`, `adamw`, `sgd`, `rmsprop`.
    public var name = "adam"
    public var lr = 1e-3
    public var weightDecay = 0.0
    /// SGD / RMSprop momentum.
    public var momentum = 0.0
    public var nesterov = false
    public var betas = [0.9, 0.999]

    public init() {}
}

/// `training.schedule:`.
public struct ScheduleConfig: Equatable, Sendable {
    /// `none`, `cosine`, `step`, `exponential`, `onecycle`, `plateau`.
    public var name = "none"
    public var stepSize = 10
    public var gamma = 0.1
    public var minLR = 0.0
    public var maxLR: Double?
    public var pctStart = 0.3
    public var factor = 0.1
    public var patience = 5
    public var monitor = "val_loss"

    public init() {}
}

/// `training.early_stopping:`.
public struct EarlyStoppingConfig: Equatable, Sendable {
    public var monitor = "val_loss"
    public var patience = 5
    public var minDelta = 0.0
    public var restoreBest = true

    public init() {}
}

/// `training.checkpoint:`.
public struct CheckpointConfig: Equatable, Sendable {
    /// 0: at each epoch end only; N: also every N optimizer steps.
    public var everySteps = 0
    public var everyEpochs = 1
    public var keep = 2

    public init() {}
}
