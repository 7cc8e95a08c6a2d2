import TrainKit

/// The user + item bias baseline of a ratings task: `r̂(u, i) = μ + b_u + b_i`, fitted by alternating
/// regularized least squares (`b_u = Σ (r - μ - b_i) / (λ + n_u)`, then the same for items, 15 rounds).
/// `λ` is chosen on the validation ratings from a small grid. A recommender should beat it.
struct BiasBaseline {
    var mean: Double
    var userBias: [Int: Double]
    var itemBias: [Int: Double]
    /// The regularization of the user and the item biases (equal for the classic single-`λ` baseline).
    var lambda: Double
    var itemLambda: Double

    init(train: TensorDataset, lambda: Double, itemLambda: Double? = nil) {
        let pairs = train.features.toArray(as: Int64.self).map { Int($0) }
        let ratings = train.labels.toArray(as: Double.self)
        let n = ratings.count
        mean = ratings.reduce(0, +) / Double(Swift.max(n, 1))
        userBias = [:]
        itemBias = [:]
        self.lambda = lambda
        let itemLambda = itemLambda ?? lambda
        self.itemLambda = itemLambda
        for _ in 0..<15 {
            var sums = [Int: Double](), counts = [Int: Double]()
            for k in 0..<n {
                let (u, i) = (pairs[2 * k], pairs[2 * k + 1])
                sums[u, default: 0] += ratings[k] - mean - (itemBias[i] ?? 0)
                counts[u, default: 0] += 1
            }
            userBias = sums.mapValues { $0 }.merging(counts) { s, c in s / (lambda + c) }
            sums = [:]
            counts = [:]
            for k in 0..<n {
                let (u, i) = (pairs[2 * k], pairs[2 * k + 1])
                sums[i, default: 0] += ratings[k] - mean - (userBias[u] ?? 0)
                counts[i, default: 0] += 1
            }
            itemBias = sums.merging(counts) { s, c in s / (itemLambda + c) }
        }
    }

    /// The classic one-`λ` baseline and the baseline with a `λ` each for users and items, both chosen on the
    /// validation ratings (`λ = 5` for both without validation data), from one set of fits: every pair
    /// `(λ_user, λ_item)` of the grid is fitted once and scored once, the one-`λ` choice reads the diagonal
    /// (`λ ≤ 50`). Users and items often need very different shrinkage (few ratings per user but informative,
    /// item means mostly noise). Ties keep the first pair in grid order.
    static func tuned(train: TensorDataset, validation: TensorDataset?) -> (oneLambda: BiasBaseline, separate: BiasBaseline) {
        guard let validation, validation.count > 0 else {
            let fit = BiasBaseline(train: train, lambda: 5)
            return (fit, fit)
        }
        let grid = [0.5, 1, 2, 5, 10, 20, 50, 200]
        let fits = grid.flatMap { u in grid.map { i in BiasBaseline(train: train, lambda: u, itemLambda: i) } }
        let errors = fits.map { $0.rmse(validation) }
        func firstLowest(_ candidates: [Int]) -> BiasBaseline {
            fits[candidates.min { errors[$0] < errors[$1] }!]  // min(by:) keeps the first of equal elements
        }
        let diagonal = grid.indices.filter { grid[$0] <= 50 }.map { $0 * grid.count + $0 }
        return (firstLowest(diagonal), firstLowest(Array(fits.indices)))
    }

    /// The biases as tables indexed like the model's rows (`0..<count`, 0 for rows without ratings).
    func userTable(count: Int) -> [Double] { (0..<count).map { userBias[$0] ?? 0 } }
    func itemTable(count: Int) -> [Double] { (0..<count).map { itemBias[$0] ?? 0 } }

    func rmse(_ data: TensorDataset) -> Double {
        let pairs = data.features.toArray(as: Int64.self).map { Int($0) }
        let ratings = data.labels.toArray(as: Double.self)
        var sum = 0.0
        for k in 0..<ratings.count {
            let p = mean + (userBias[pairs[2 * k]] ?? 0) + (itemBias[pairs[2 * k + 1]] ?? 0)
            sum += (p - ratings[k]) * (p - ratings[k])
        }
        return (sum / Double(Swift.max(ratings.count, 1))).squareRoot()
    }
}
