import TrainKit

// docs/models.md shows each function below verbatim (scripts/check-model-docs checks it); main.swift runs them.

/// TabularNet: column 0 numeric, column 1 a category code (0, 1 or 2); class 1 when x + [code = 2] > 0.5.
func tabularNetExample() throws -> Double {
    Random.seed(0)
    let x = Tensor.uniform([512], low: -1, high: 1, key: RandomKey(seed: 1)).toArray()
    let features = Tensor((0..<512).flatMap { [x[$0], Float($0 % 3)] }, shape: [512, 2])
    let labels = Tensor((0..<512).map { x[$0] + ($0 % 3 == 2 ? 1 : 0) > 0.5 ? 1 : 0 })
    let model = TabularNet(cardinalities: [0, 3], embeddingDims: [0, 4]) { width in
        Sequential { Linear(width, 16); ReLU(); Linear(16, 2) }
    }
    let data = TensorDataset(features: features, labels: labels)
    let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.02), metrics: [.accuracy],
                          progress: .silent)
    try trainer.fit(data, epochs: 40, batchSize: 64)
    return trainer.evaluate(data)["accuracy"]!
}
