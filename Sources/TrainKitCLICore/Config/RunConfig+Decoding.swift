import Foundation

extension RunConfig {
    /// Reads, overrides, checks and decodes a config file.
    ///
    /// - Parameters:
    ///   - file: the YAML file; relative data paths in it resolve against its folder.
    ///   - overrides: `key.path=value` assignments (YAML-typed values) applied before checking.
    ///   - workingDirectory: what a relative `output` resolves against (default: the current directory).
    /// - Throws: ``ConfigError`` naming the key path (and line) of the first problem.
    public static func load(file: String, overrides: [String] = [], workingDirectory: String? = nil) throws -> RunConfig {
        var tree = try ConfigNode.load(file: file)
        for assignment in overrides { try ConfigOverride.apply(assignment, to: &tree) }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return try decode(tree, baseDirectory: folder, workingDirectory: workingDirectory,
                          defaultOutput: "runs/\(stem)")
    }

    /// Decodes a config tree.
    /// - Parameters:
    ///   - baseDirectory: what relative data paths resolve against.
    ///   - defaultOutput: the run directory when `output` is absent.
    public static func decode(_ tree: ConfigNode, baseDirectory: String, workingDirectory: String? = nil,
                              defaultOutput: String = "runs/run", checkFiles: Bool = true) throws -> RunConfig {
        let root = try ConfigSection(tree, path: "")
        try root.checkKeys()
        var config = RunConfig()
        if let seed = try root.int("seed") {
            guard seed >= 0 else { throw root.invalid("seed", "must be >= 0, got \(seed)") }
            config.seed = UInt64(seed)
        }
        let model = try root.section("model") ?? ConfigSection(.emptyMap, path: "model")
        config.model = try decodeModel(model)
        let data = try root.section("data") ?? ConfigSection(.emptyMap, path: "data")
        config.data = try decodeData(data, kind: config.model.kind, base: baseDirectory, checkFiles: checkFiles)
        let training = try root.section("training") ?? ConfigSection(.emptyMap, path: "training")
        config.training = try decodeTraining(training, data: config.data, kind: config.model.kind)
        try checkBatchNorm(config.model, config.training, section: training)
        try checkSizes(config, tree: tree)
        let cwd = workingDirectory ?? FileManager.default.currentDirectoryPath
        let output = try root.string("output") ?? defaultOutput
        guard !output.allSatisfy(\.isWhitespace) else {
            throw root.invalid("output", "must not be empty: name the run directory (e.g. runs/wine)")
        }
        config.output = resolve(output, against: cwd)
        config.tracking = try decodeTracking(try root.section("tracking"))
        config.pipeline = try decodePipeline(try root.section("pipeline"))
        return config
    }

    static func resolve(_ path: String, against base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
                                          : URL(fileURLWithPath: base).appendingPathComponent(expanded)
        return url.standardizedFileURL.path
    }

    // MARK: - model

    static func decodeModel(_ s: ConfigSection) throws -> ModelConfig {
        try s.checkKeys()
        var m = ModelConfig()
        if let kind = try s.string("kind") {
            let name = kind.lowercased()
            guard let k = ModelKind(rawValue: name) else {
                let names = ModelKind.allCases.map(\.rawValue)
                let hint = nearest(name, among: names).map { "; did you mean '\($0)'?" } ?? ""
                throw s.invalid("kind", "unknown model kind '\(kind)' (expected one of: \(names.joined(separator: ", ")))\(hint)")
            }
            m.kind = k
        }
        if let hidden = try s.intList("hidden") {
            if let bad = hidden.first(where: { $0 < 1 }) { throw s.invalid("hidden", "layer widths must be >= 1, got \(bad)") }
            m.hidden = hidden
        }
        if let p = try s.double("dropout") {
            guard p >= 0 && p < 1 else { throw s.invalid("dropout", "must be in [0, 1), got \(p)") }
            m.dropout = p
        }
        m.activation = try s.choice("activation") ?? m.activation
        if let d = try s.int("embedding_dim") {
            guard d >= 1 else { throw s.invalid("embedding_dim", "must be >= 1, got \(d)") }
            m.embeddingDim = d
        }
        if let channels = try s.intList("channels") {
            guard !channels.isEmpty, channels.allSatisfy({ $0 >= 1 }) else {
                throw s.invalid("channels", "needs one or more channel counts >= 1, got \(channels)")
            }
            m.channels = channels
        }
        m.batchNorm = try s.bool("batch_norm") ?? m.batchNorm
        try decodeArchitectureKeys(s, into: &m)
        try decodeUnsupervisedKeys(s, into: &m)
        return m
    }

    // MARK: - data

    static func decodeData(_ s: ConfigSection, kind: ModelKind, base: String, checkFiles: Bool) throws -> DataConfig {
        try s.checkKeys()
        var d = DataConfig()
        guard let train = try s.string("train") else {
            throw ConfigError.missingKey(path: "data.train", hint: "name the training data file (or IDX directory)")
        }
        let test = try s.string("test")
        if checkFiles {
            // Data files are looked up beside the config, then in $TRAINKIT_DATA (`--data-dir` is resolved by
            // the command line before this).
            let lookup = DataLookup()
            d.train = try lookup.locate(train, base: base, key: "data.train", location: s.value("train")?.location)
            d.test = try test.map { try lookup.locate($0, base: base, key: "data.test", location: s.value("test")?.location) }
        } else {
            d.train = resolve(train, against: base)
            d.test = test.map { resolve($0, against: base) }
        }
        let allowed: [ModelKind: [DataFormat]] = [
            .mlp: [.csv, .idx], .tabular: [.csv], .cnn: [.idx], .resnet: [.idx], .text: [.text], .recommender: [.ratings],
            .autoencoder: [.csv, .idx], .linear: [.csv], .kmeans: [.csv, .idx], .pca: [.csv, .idx], .gmm: [.csv, .idx],
        ]
        if let format = try s.choice("format") {
            d.format = format == "tsv" ? .csv : DataFormat(rawValue: format)!
            if format == "tsv" && !s.has("delimiter") { d.delimiter = "\t" }
            guard allowed[kind]!.contains(d.format) else {
                throw s.invalid("format", "model kind '\(kind.rawValue)' cannot read '\(d.format.rawValue)' data (it reads: \(allowed[kind]!.map(\.rawValue).joined(separator: ", ")))")
            }
        } else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: d.train, isDirectory: &isDirectory)
            switch kind {
            case .text: d.format = .text
            case .recommender: d.format = .ratings
            case .cnn, .resnet: d.format = .idx
            case .mlp, .tabular, .autoencoder, .linear, .kmeans, .pca, .gmm: d.format = exists && isDirectory.boolValue ? .idx : .csv
            }
            if d.format == .idx && exists && isDirectory.boolValue && !ImagePipeline.hasFiles(d.train, prefix: "train") {
                throw s.invalid("train", "\(d.train) is a directory without IDX files (train-images-idx3-ubyte[.gz]); name a CSV file, or a directory of IDX files")
            }
            if (kind == .tabular || kind == .linear) && exists && isDirectory.boolValue {
                throw s.invalid("train", "model kind '\(kind.rawValue)' reads a CSV file, but \(d.train) is a directory")
            }
            if (kind == .cnn || kind == .resnet) && exists && !isDirectory.boolValue {
                throw s.invalid("train", "model kind '\(kind.rawValue)' reads a directory of IDX files, but \(d.train) is a file")
            }
        }
        d.target = try s.string("target")
        if d.format == .csv && d.target == nil && kind != .autoencoder && !kind.isUnsupervised {
            throw ConfigError.missingKey(path: "data.target", hint: "name the label column of \(d.train)")
        }
        d.features = try s.stringList("features")
        d.drop = try s.stringList("drop") ?? []
        d.categorical = try s.stringList("categorical") ?? []
        for key in ["validation_split", "test_split"] {
            if let f = try s.double(key) {
                guard f >= 0 && f < 1 else { throw s.invalid(key, "must be in [0, 1), got \(f)") }
                if key == "validation_split" { d.validationSplit = f } else { d.testSplit = f }
            }
        }
        d.stratify = try s.bool("stratify") ?? d.stratify
        if let delimiter = try s.string("delimiter") {
            let resolved = delimiter == "\\t" || delimiter.lowercased() == "tab" ? "\t" : delimiter
            guard resolved.unicodeScalars.count == 1, resolved.unicodeScalars.first!.isASCII else {
                throw s.invalid("delimiter", "must be one ASCII character (or \"tab\"), got \"\(delimiter)\"")
            }
            d.delimiter = resolved
        }
        d.header = try s.bool("header") ?? d.header
        d.columns = try s.stringList("columns")
        if let comment = try s.string("comment") {
            guard comment.unicodeScalars.count == 1 else { throw s.invalid("comment", "must be one character, got \"\(comment)\"") }
            d.comment = comment
        }
        d.missingValues = try s.stringList("missing_values") ?? d.missingValues
        d.stripSuffix = try s.stringMap("strip_suffix") ?? [:]
        d.textColumn = try s.string("text_column")
        d.labelColumn = try s.string("label_column")
        if (d.textColumn == nil) != (d.labelColumn == nil) {
            throw s.invalid(d.textColumn == nil ? "label_column" : "text_column",
                            "text_column and label_column go together (a CSV with a text and a label column)")
        }
        d.labelFirst = try s.bool("label_first") ?? d.labelFirst
        d.user = try s.string("user") ?? d.user
        d.item = try s.string("item") ?? d.item
        d.rating = try s.string("rating") ?? d.rating
        if let t = try s.section("tokenizer") { d.tokenizer = try decodeTokenizer(t) }
        d.normalize = try s.bool("normalize") ?? d.normalize
        return d
    }

    static func decodeTokenizer(_ s: ConfigSection) throws -> TokenizerConfig {
        try s.checkKeys()
        var t = TokenizerConfig()
        t.kind = try s.choice("kind") ?? t.kind
        if let v = try s.int("vocab_size") {
            let minimum = t.kind == "bpe" ? 257 : 3
            guard v >= minimum else { throw s.invalid("vocab_size", "must be >= \(minimum) for a \(t.kind) tokenizer, got \(v)") }
            t.vocabSize = v
        }
        if let v = try s.int("min_frequency") {
            guard v >= 1 else { throw s.invalid("min_frequency", "must be >= 1, got \(v)") }
            t.minFrequency = v
        }
        if let v = try s.int("max_length") {
            guard v >= 1 else { throw s.invalid("max_length", "must be >= 1, got \(v)") }
            t.maxLength = v
        }
        t.lowercase = try s.bool("lowercase") ?? t.lowercase
        if let n = try s.int("ngrams") {
            guard (1...3).contains(n) else { throw s.invalid("ngrams", "must be 1, 2 or 3, got \(n)") }
            guard t.kind == "word" || n == 1 else { throw s.invalid("ngrams", "n-grams need the word tokenizer") }
            t.ngrams = n
        }
        return t
    }

    // MARK: - training

    static func decodeTraining(_ s: ConfigSection, data: DataConfig, kind: ModelKind) throws -> TrainingConfig {
        try s.checkKeys()
        var t = TrainingConfig()
        if let task = try s.choice("task") { t.task = TaskKind(rawValue: task) }
        if let own = unsupervisedTask(kind) {  // kmeans, gmm: clustering; pca: decomposition (and only they)
            if let task = t.task, task != own {
                throw s.invalid("task", "model kind '\(kind.rawValue)' does \(own.rawValue): use \(own.rawValue) (or leave task out)")
            }
            t.task = own
        } else if let task = t.task, task == .clustering || task == .decomposition {
            throw s.invalid("task", "\(task.rawValue) is the task of model kind \(task == .clustering ? "'kmeans' or 'gmm'" : "'pca'")")
        }
        if (kind == .autoencoder) != (t.task == .reconstruction), t.task != nil {
            throw s.invalid("task", kind == .autoencoder ? "an autoencoder learns to reconstruct its inputs: use reconstruction (or leave task out)"
                                                        : "reconstruction is the task of model kind 'autoencoder'")
        }
        switch kind == .autoencoder || kind.isUnsupervised ? nil : data.format {
        case .idx, .text:
            if t.task == .regression { throw s.invalid("task", "\(data.format.rawValue) data has class labels: use classification") }
            t.task = .classification
        case .ratings:
            if t.task == .classification { throw s.invalid("task", "a recommender predicts ratings: use regression") }
            t.task = .regression
        case .csv: break
        case nil: t.task = t.task ?? .reconstruction
        }
        if let epochs = try s.int("epochs") {
            guard epochs >= 1 else { throw s.invalid("epochs", "must be >= 1, got \(epochs)") }
            t.epochs = epochs
        }
        if let b = try s.int("batch_size") {
            guard b >= 1 else { throw s.invalid("batch_size", "must be >= 1, got \(b)") }
            t.batchSize = b
        }
        if let loss = try s.choice("loss") {
            let classification = loss == "cross_entropy"
            if let task = t.task, (task == .classification) != classification {
                throw s.invalid("loss", "'\(loss)' does not fit a \(task.rawValue) task (use \(task == .classification ? "cross_entropy" : "mse, l1 or huber"))")
            }
            t.loss = loss
            if t.task == nil { t.task = classification ? .classification : .regression }
        }
        if let ls = try s.double("label_smoothing") {
            guard ls >= 0 && ls < 1 else { throw s.invalid("label_smoothing", "must be in [0, 1), got \(ls)") }
            t.labelSmoothing = ls
        }
        if let o = try s.section("optimizer") { t.optimizer = try decodeOptimizer(o) }
        if let node = s.value("schedule") {
            if case .string(let name) = node.value {  // `schedule: cosine` for short
                var sc = ScheduleConfig()
                sc.name = try ConfigSection(ConfigNode(.map([.init(key: "name", value: ConfigNode(.string(name), location: node.location))])),
                                            path: "training.schedule").choice("name") ?? sc.name
                t.schedule = sc
            } else if let sc = try s.section("schedule") {
                t.schedule = try decodeSchedule(sc)
            }
        }
        let hasValidation = data.validationSplit > 0
        if let node = s.value("early_stopping") {
            if case .bool(let on) = node.value {
                t.earlyStopping = on ? EarlyStoppingConfig() : nil
            } else if let es = try s.section("early_stopping") {
                t.earlyStopping = try decodeEarlyStopping(es)
            }
            if let monitor = t.earlyStopping?.monitor, monitor.hasPrefix("val_"), !hasValidation {
                throw s.invalid("early_stopping", "monitors '\(monitor)', which needs validation data: set data.validation_split > 0")
            }
        }
        if t.schedule.name == "plateau", t.schedule.monitor.hasPrefix("val_"), !hasValidation {
            throw s.invalid("schedule", "'plateau' monitors '\(t.schedule.monitor)', which needs validation data: set data.validation_split > 0")
        }
        if let c = try s.section("checkpoint") { t.checkpoint = try decodeCheckpoint(c) }
        if let clip = try s.double("gradient_clip") {
            guard clip > 0 else { throw s.invalid("gradient_clip", "must be > 0, got \(clip)") }
            t.gradientClip = clip
        }
        t.progress = try s.choice("progress") ?? t.progress
        t.targetScaling = try s.choice("target_scaling") ?? t.targetScaling
        try decodeTensorBoardKeys(s, into: &t)
        return t
    }

    /// The task an unsupervised kind does (nil for the others).
    static func unsupervisedTask(_ kind: ModelKind) -> TaskKind? {
        switch kind {
        case .kmeans, .gmm: .clustering
        case .pca: .decomposition
        default: nil
        }
    }

    static func decodeOptimizer(_ s: ConfigSection) throws -> OptimizerConfig {
        try s.checkKeys()
        var o = OptimizerConfig()
        o.name = try s.choice("name") ?? o.name
        if o.name == "adamw" { o.weightDecay = 0.01 }
        if let lr = try s.double("lr") {
            guard lr > 0 && lr.isFinite else { throw s.invalid("lr", "must be > 0, got \(lr)") }
            o.lr = lr
        }
        if let wd = try s.double("weight_decay") {
            guard wd >= 0 else { throw s.invalid("weight_decay", "must be >= 0, got \(wd)") }
            o.weightDecay = wd
        }
        if let m = try s.double("momentum") {
            guard m >= 0 && m < 1 else { throw s.invalid("momentum", "must be in [0, 1), got \(m)") }
            o.momentum = m
        }
        o.nesterov = try s.bool("nesterov") ?? o.nesterov
        if o.nesterov && (o.name != "sgd" || o.momentum == 0) {
            throw s.invalid("nesterov", "needs name: sgd and momentum > 0")
        }
        if let betas = try s.doubleList("betas") {
            guard betas.count == 2, betas.allSatisfy({ $0 >= 0 && $0 < 1 }) else {
                throw s.invalid("betas", "needs two numbers in [0, 1), got \(betas)")
            }
            o.betas = betas
        }
        return o
    }

    static func decodeSchedule(_ s: ConfigSection) throws -> ScheduleConfig {
        try s.checkKeys()
        var c = ScheduleConfig()
        c.name = try s.choice("name") ?? c.name
        if let v = try s.int("step_size") {
            guard v >= 1 else { throw s.invalid("step_size", "must be >= 1, got \(v)") }
            c.stepSize = v
        }
        if let v = try s.double("gamma") {
            guard v > 0 && v <= 1 else { throw s.invalid("gamma", "must be in (0, 1], got \(v)") }
            c.gamma = v
        }
        if let v = try s.double("min_lr") {
            guard v >= 0 else { throw s.invalid("min_lr", "must be >= 0, got \(v)") }
            c.minLR = v
        }
        if let v = try s.double("max_lr") {
            guard v > 0 else { throw s.invalid("max_lr", "must be > 0, got \(v)") }
            c.maxLR = v
        }
        if let v = try s.double("pct_start") {
            guard v > 0 && v < 1 else { throw s.invalid("pct_start", "must be in (0, 1), got \(v)") }
            c.pctStart = v
        }
        if let v = try s.double("factor") {
            guard v > 0 && v < 1 else { throw s.invalid("factor", "must be in (0, 1), got \(v)") }
            c.factor = v
        }
        if let v = try s.int("patience") {
            guard v >= 0 else { throw s.invalid("patience", "must be >= 0, got \(v)") }
            c.patience = v
        }
        c.monitor = try s.string("monitor") ?? c.monitor
        return c
    }

    static func decodeEarlyStopping(_ s: ConfigSection) throws -> EarlyStoppingConfig {
        try s.checkKeys()
        var e = EarlyStoppingConfig()
        e.monitor = try s.string("monitor") ?? e.monitor
        if let p = try s.int("patience") {
            guard p >= 1 else { throw s.invalid("patience", "must be >= 1, got \(p)") }
            e.patience = p
        }
        if let d = try s.double("min_delta") {
            guard d >= 0 else { throw s.invalid("min_delta", "must be >= 0, got \(d)") }
            e.minDelta = d
        }
        e.restoreBest = try s.bool("restore_best") ?? e.restoreBest
        return e
    }

    static func decodeCheckpoint(_ s: ConfigSection) throws -> CheckpointConfig {
        try s.checkKeys()
        var c = CheckpointConfig()
        if let v = try s.int("every_steps") {
            guard v >= 0 else { throw s.invalid("every_steps", "must be >= 0 (0: at each epoch end), got \(v)") }
            c.everySteps = v
        }
        if let v = try s.int("every_epochs") {
            guard v >= 1 else { throw s.invalid("every_epochs", "must be >= 1, got \(v)") }
            c.everyEpochs = v
        }
        if let v = try s.int("keep") {
            guard v >= 1 else { throw s.invalid("keep", "must be >= 1, got \(v)") }
            c.keep = v
        }
        return c
    }
}
