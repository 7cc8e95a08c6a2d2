extension RunConfig {
    /// `model.batch_norm: true` needs batches of two or more rows: batch norm in training cannot normalize a
    /// single value per channel, so `training.batch_size: 1` with it is a config error. (A last batch of one row,
    /// `n mod batch_size == 1`, is dropped in training instead; see `Trainer.fit`.)
    static func checkBatchNorm(_ model: ModelConfig, _ training: TrainingConfig, section: ConfigSection) throws {
        guard model.batchNorm, training.batchSize == 1 else { return }
        throw section.invalid("batch_size", "1 cannot train with model.batch_norm: true (batch norm needs two or more rows per batch); set batch_size >= 2 or model.batch_norm: false")
    }
}
