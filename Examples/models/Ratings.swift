import TrainKit

/// 4,000 ratings of 60 items by 50 users (ids from 1; 0 is the unknown id), from a rank-2 taste model:
/// `r = 3 + 0.7 · uᵀv + noise(0.1)`. Returns (train, test) with a 3,200 / 800 split.
func ratingData() -> (train: Subset<TensorDataset>, test: Subset<TensorDataset>) {
    let u = Tensor.normal([51, 2], key: RandomKey(seed: 6)), v = Tensor.normal([61, 2], key: RandomKey(seed: 7))
    let users = Tensor.uniform([4000], low: 1, high: 51, key: RandomKey(seed: 8)).to(.int64)
    let items = Tensor.uniform([4000], low: 1, high: 61, key: RandomKey(seed: 9)).to(.int64)
    let taste = (u.indexSelect(0, users) * v.indexSelect(0, items)).sum(1)
    let ratings = taste * 0.7 + 3 + Tensor.normal([4000], std: 0.1, key: RandomKey(seed: 10))
    let pairs = Tensor.stack([users, items], dim: 1)  // [4000, 2]
    let all = TensorDataset(features: pairs, labels: ratings)
    return (all.subset(Array(0..<3200)), all.subset(Array(3200..<4000)))
}

/// MatrixFactorization: `r̂ = μ + b_u + b_i + p_uᵀq_i`. Returns the test RMSE.
func matrixFactorizationExample() throws -> Double {
    Random.seed(0)
    let (train, test) = ratingData()
    let model = MatrixFactorization(users: 51, items: 61, factors: 4, globalMean: 3)
    let trainer = Trainer(model: model, loss: .mse, optimizer: Adam(lr: 0.03), metrics: [.rmse], progress: .silent)
    try trainer.fit(train, epochs: 40, batchSize: 128)
    return trainer.evaluate(test)["rmse"]!
}

/// NeuralCollaborativeFiltering: the same ratings, a GMF part and an MLP part joined by one linear output.
func neuralCollaborativeFilteringExample() throws -> Double {
    Random.seed(0)
    let (train, test) = ratingData()
    let model = NeuralCollaborativeFiltering(users: 51, items: 61, factors: 4, hidden: [16], dropout: 0,
                                             globalMean: 3)
    let trainer = Trainer(model: model, loss: .mse, optimizer: Adam(lr: 0.03), metrics: [.rmse], progress: .silent)
    try trainer.fit(train, epochs: 40, batchSize: 128)
    return trainer.evaluate(test)["rmse"]!
}
