import TrainKit

/// 256 texts of 6 token ids in 1...9 (0 would be padding), class 1 when the text holds token 7.
func tokenData() -> TensorDataset {
    let ids = Tensor.uniform([256, 6], low: 1, high: 10, key: RandomKey(seed: 2)).to(.int64)
    let labels = ((ids .== 7).to(.float32).sum(1) .> 0).to(.int64)
    return TensorDataset(features: ids, labels: labels)
}

/// TextClassifier: mean of the token embeddings (EmbeddingBag), then a linear head.
func textClassifierExample() throws -> Double {
    Random.seed(0)
    let data = tokenData()
    let model = TextClassifier(vocabularySize: 10, embeddingDim: 16) { width in
        Sequential { Linear(width, 16); ReLU(); Linear(16, 2) }
    }
    let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.03), metrics: [.accuracy],
                          progress: .silent)
    try trainer.fit(data, epochs: 60, batchSize: 32)
    return trainer.evaluate(data)["accuracy"]!
}

/// SequenceClassifier: the same texts read in order by a bidirectional LSTM.
func sequenceClassifierExample() throws -> Double {
    Random.seed(0)
    let data = tokenData()
    let model = SequenceClassifier(encoder: .lstm, vocabularySize: 10, embeddingDim: 16, sequenceLength: 6,
                                   layers: 1, heads: 1, dropout: 0) { width in Sequential { Linear(width, 2) } }
    let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.02), metrics: [.accuracy],
                          progress: .silent)
    try trainer.fit(data, epochs: 30, batchSize: 32)
    return trainer.evaluate(data)["accuracy"]!
}
