import TrainKit

/// ResidualNet: 8×8 one-channel images, class 1 when the top half is the brighter one.
func residualNetExample() throws -> Double {
    Random.seed(0)
    let noise = Tensor.normal([128, 1, 8, 8], std: 0.5, key: RandomKey(seed: 3))
    let labels = Tensor((0..<128).map { $0 % 2 })
    let brightTop: (Int) -> [Float] = { n in (0..<64).map { p in (p < 32) == (n % 2 == 1) ? 1 : 0 } }
    let rows = Tensor((0..<128).flatMap(brightTop), shape: [128, 1, 8, 8])
    let model = ResidualNet(inChannels: 1, channels: [4, 8], blocksPerStage: 1) { width in
        Sequential { Linear(width, 2) }
    }
    let data = TensorDataset(features: rows + noise, labels: labels)
    let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.01), metrics: [.accuracy],
                          progress: .silent)
    try trainer.fit(data, epochs: 8, batchSize: 32)
    return trainer.evaluate(data)["accuracy"]!
}

/// Autoencoder: 6 features on a 2-dimensional plane, squeezed through a 2-wide code.
/// Returns the reconstruction RMSE relative to the data's RMS (0 is perfect, 1 is predicting zeros).
func autoencoderExample() throws -> Double {
    Random.seed(0)
    let codes = Tensor.normal([512, 2], key: RandomKey(seed: 4))
    let x = codes.matmul(Tensor.normal([2, 6], key: RandomKey(seed: 5)))  // [512, 6], rank 2
    let model = Autoencoder(inputSize: 6, hidden: [16], latent: 2, dropout: 0, activation: { Tanh() })
    let trainer = Trainer(model: model, loss: .mse, optimizer: Adam(lr: 0.01), progress: .silent)
    try trainer.fit(TensorDataset(features: x, labels: x), epochs: 60, batchSize: 64)
    let error = (trainer.predict(x) - x).square().mean().item().squareRoot()
    return error / x.square().mean().item().squareRoot()
}
