/// The resolved config as a YAML tree: every key with its value (defaults filled in, paths absolute), in the
/// order docs/config.md lists them. Decoding this tree gives the same ``RunConfig``.
extension RunConfig {
    public var tree: ConfigNode {
        map([
            ("seed", .int(Int(seed))),
            ("data", data.tree.value),
            ("model", model.tree.value),
            ("training", training.tree.value),
            ("output", .string(output)),
        ])
    }

    /// The resolved config as YAML text.
    public func yamlText() throws -> String { try tree.yamlText() }
}

private func map(_ pairs: [(String, ConfigNode.Value?)]) -> ConfigNode {
    ConfigNode(.map(pairs.compactMap { key, value in value.map { ConfigNode.Entry(key: key, value: ConfigNode($0)) } }))
}

private func strings(_ values: [String]) -> ConfigNode.Value { .list(values.map { ConfigNode(.string($0)) }) }
private func ints(_ values: [Int]) -> ConfigNode.Value { .list(values.map { ConfigNode(.int($0)) }) }

extension DataConfig {
    var tree: ConfigNode {
        map([
            ("train", .string(train)),
            ("test", test.map(ConfigNode.Value.string)),
            ("format", .string(format.rawValue)),
            ("target", target.map(ConfigNode.Value.string)),
            ("features", features.map(strings)),
            ("drop", strings(drop)),
            ("categorical", strings(categorical)),
            ("validation_split", .double(validationSplit)),
            ("test_split", .double(testSplit)),
            ("stratify", .bool(stratify)),
            ("delimiter", delimiter.map(ConfigNode.Value.string)),
            ("header", .bool(header)),
            ("columns", columns.map(strings)),
            ("comment", comment.map(ConfigNode.Value.string)),
            ("missing_values", strings(missingValues)),
            ("strip_suffix", .map(stripSuffix.keys.sorted().map { .init(key: $0, value: ConfigNode(.string(stripSuffix[$0]!))) })),
            ("text_column", textColumn.map(ConfigNode.Value.string)),
            ("label_column", labelColumn.map(ConfigNode.Value.string)),
            ("label_first", .bool(labelFirst)),
            ("user", .string(user)),
            ("item", .string(item)),
            ("rating", .string(rating)),
            ("tokenizer", map([
                ("kind", .string(tokenizer.kind)),
                ("vocab_size", .int(tokenizer.vocabSize)),
                ("min_frequency", .int(tokenizer.minFrequency)),
                ("max_length", .int(tokenizer.maxLength)),
                ("lowercase", .bool(tokenizer.lowercase)),
                ("ngrams", .int(tokenizer.ngrams)),
            ]).value),
            ("normalize", .bool(normalize)),
        ])
    }
}

extension ModelConfig {
    var tree: ConfigNode {
        map([
            ("kind", .string(kind.rawValue)),
            ("hidden", hidden.map(ints)),
            ("dropout", .double(dropout)),
            ("activation", .string(activation)),
            ("embedding_dim", embeddingDim.map(ConfigNode.Value.int)),
            ("channels", channels.map(ints)),
            ("batch_norm", .bool(batchNorm)),
            // The keys only some kinds read are written for those kinds (they are errors for the others).
            ("encoder", kind == .text ? .string(encoder) : nil),
            ("layers", kind == .text || kind == .resnet ? layers.map(ConfigNode.Value.int) : nil),
            ("heads", kind == .text ? .int(heads) : nil),
            ("architecture", kind == .recommender ? .string(architecture) : nil),
            ("latent_dim", kind == .autoencoder ? .int(latentDim) : nil),
        ])
    }
}

extension TrainingConfig {
    var tree: ConfigNode {
        map([
            ("task", task.map { .string($0.rawValue) }),
            ("epochs", .int(epochs)),
            ("batch_size", .int(batchSize)),
            ("loss", loss.map(ConfigNode.Value.string)),
            ("label_smoothing", .double(labelSmoothing)),
            ("optimizer", map([
                ("name", .string(optimizer.name)),
                ("lr", .double(optimizer.lr)),
                ("weight_decay", .double(optimizer.weightDecay)),
                ("momentum", .double(optimizer.momentum)),
                ("nesterov", .bool(optimizer.nesterov)),
                ("betas", .list(optimizer.betas.map { ConfigNode(.double($0)) })),
            ]).value),
            ("schedule", map([
                ("name", .string(schedule.name)),
                ("step_size", .int(schedule.stepSize)),
                ("gamma", .double(schedule.gamma)),
                ("min_lr", .double(schedule.minLR)),
                ("max_lr", schedule.maxLR.map(ConfigNode.Value.double)),
                ("pct_start", .double(schedule.pctStart)),
                ("factor", .double(schedule.factor)),
                ("patience", .int(schedule.patience)),
                ("monitor", .string(schedule.monitor)),
            ]).value),
            ("early_stopping", earlyStopping.map { e in
                map([
                    ("monitor", .string(e.monitor)),
                    ("patience", .int(e.patience)),
                    ("min_delta", .double(e.minDelta)),
                    ("restore_best", .bool(e.restoreBest)),
                ]).value
            } ?? .bool(false)),
            ("checkpoint", map([
                ("every_steps", .int(checkpoint.everySteps)),
                ("every_epochs", .int(checkpoint.everyEpochs)),
                ("keep", .int(checkpoint.keep)),
            ]).value),
            ("gradient_clip", gradientClip.map(ConfigNode.Value.double)),
            ("progress", .string(progress)),
            ("target_scaling", .string(targetScaling)),
        ])
    }
}
