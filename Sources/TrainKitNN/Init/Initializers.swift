import TrainKitCore

/// Weight initializers with PyTorch's formulas (`torch.nn.init`). Each takes an explicit ``RandomKey``
/// (or draws the next key of the global stream), so a seed gives the same weights everywhere.
///
/// Fans follow PyTorch: for a weight `[out, in, k₁, k₂, …]`, `fanIn = in·k₁·k₂…`, `fanOut = out·k₁·k₂…`.
///
/// ```swift
/// let w = Initializers.kaimingUniform([128, 784], nonlinearity: .relu, key: RandomKey(seed: 0))
/// ```
public enum Initializers {
    /// Which fan Kaiming initialization preserves: forward activations (`fanIn`) or backward
    /// gradients (`fanOut`).
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// The nonlinearity a gain is computed for (`torch.nn.init.calculate_gain`).
    public enum Nonlinearity: Sendable {
        case linear, sigmoid, tanh, relu, selu
        /// Leaky ReLU with negative slope `a`.
        case leakyRelu(Double)

        /// Recommended gain: 1 (linear, sigmoid), 5/3 (tanh), √2 (relu), √(2/(1+a²)) (leaky relu), 3/4 (selu).
        public var gain: Double {
            switch self {
            case .linear, .sigmoid: 1
            case .tanh: 5.0 / 3.0
            case .relu: 2.0.squareRoot()
            case .selu: 0.75
            case .leakyRelu(let a): (2.0 / (1 + a * a)).squareRoot()
            }
        }
    }

    /// `(fanIn, fanOut)` of a weight shape (needs rank ≥ 2).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "Initializers.fans: needs a shape of rank >= 2, got \(shape)")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// `U(low, high)`.
    public static func uniform(_ shape: [Int], low: Double = 0, high: Double = 1, key: RandomKey? = nil,
                               dtype: DType = .float32) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, key: key ?? Random.nextKey(), dtype: dtype)
    }

    /// `N(mean, std²)`.
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, key: RandomKey? = nil,
                              dtype: DType = .float32) -> Tensor {
        Tensor.normal(shape, mean: mean, std: std, key: key ?? Random.nextKey(), dtype: dtype)
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor { .zeros(shape, dtype: dtype) }
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor { .ones(shape, dtype: dtype) }

    /// Xavier/Glorot uniform: `U(-a, a)`, `a = gain·√(6 / (fanIn + fanOut))`.
    public static func xavierUniform(_ shape: [Int], gain: Double = 1, key: RandomKey? = nil,
                                     dtype: DType = .float32) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let a = gain * (6.0 / Double(fanIn + fanOut)).squareRoot()
        return uniform(shape, low: -a, high: a, key: key, dtype: dtype)
    }

    /// Xavier/Glorot normal: `N(0, σ²)`, `σ = gain·√(2 / (fanIn + fanOut))`.
    public static func xavierNormal(_ shape: [Int], gain: Double = 1, key: RandomKey? = nil,
                                    dtype: DType = .float32) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        return normal(shape, std: gain * (2.0 / Double(fanIn + fanOut)).squareRoot(), key: key, dtype: dtype)
    }

    /// Kaiming/He uniform: `U(-b, b)`, `b = gain·√(3 / fan)` with `fan` chosen by `mode`.
    /// PyTorch's `Linear`/`Conv` default is `nonlinearity: .leakyRelu(√5)`, giving `b = 1/√fanIn`.
    public static func kaimingUniform(_ shape: [Int], mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(0),
                                      key: RandomKey? = nil, dtype: DType = .float32) -> Tensor {
        let fan = mode == .fanIn ? fans(shape).fanIn : fans(shape).fanOut
        let bound = nonlinearity.gain * (3.0 / Double(fan)).squareRoot()
        return uniform(shape, low: -bound, high: bound, key: key, dtype: dtype)
    }

    /// Kaiming/He normal: `N(0, σ²)`, `σ = gain / √fan`.
    public static func kaimingNormal(_ shape: [Int], mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(0),
                                     key: RandomKey? = nil, dtype: DType = .float32) -> Tensor {
        let fan = mode == .fanIn ? fans(shape).fanIn : fans(shape).fanOut
        return normal(shape, std: nonlinearity.gain / Double(fan).squareRoot(), key: key, dtype: dtype)
    }

    /// A (semi-)orthogonal matrix times `gain`: the rows (or columns, whichever are fewer) of the weight
    /// viewed as `[shape[0], rest]` are orthonormal. Made as PyTorch does: Q of the QR factorisation of a
    /// standard normal matrix, with signs fixed so R's diagonal is positive.
    public static func orthogonal(_ shape: [Int], gain: Double = 1, key: RandomKey? = nil,
                                  dtype: DType = .float32) -> Tensor {
        precondition(shape.count >= 2, "Initializers.orthogonal: needs a shape of rank >= 2, got \(shape)")
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        let (m, n) = rows >= cols ? (rows, cols) : (cols, rows)  // factor the tall orientation
        // Modified Gram–Schmidt over the columns of the m×n normal matrix, in tensor ops: normalise the next
        // column, then remove its direction from every later one. The norms (R's diagonal) are positive,
        // which is PyTorch's sign convention.
        var rest = Tensor.normal([m, n], key: key ?? Random.nextKey(), dtype: .float64)
        var q: [Tensor] = []
        for j in 0..<n {
            let column = rest.narrow(1, start: 0, length: 1)  // [m, 1]
            let unit = column / column.square().sum().sqrt()
            q.append(unit)
            if j == n - 1 { break }
            let later = rest.narrow(1, start: 1, length: n - 1 - j)
            rest = later - unit.mm(unit.T.mm(later))
        }
        let tall = Tensor.cat(q, dim: 1) * gain  // [m, n]
        return (rows >= cols ? tall : tall.T).contiguous().reshape(shape).to(dtype)
    }
}
