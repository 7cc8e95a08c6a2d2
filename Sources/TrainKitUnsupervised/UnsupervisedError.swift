import TrainKitCore

/// Why an unsupervised estimator refused its input or parameters, or could not fit.
public enum UnsupervisedError: Error, Equatable, CustomStringConvertible {
    /// The data has no rows or no columns.
    case emptyData(algorithm: String, shape: [Int])
    /// The data is not a 2-d float tensor `[samples, features]`.
    case badShape(algorithm: String, shape: [Int])
    /// The data holds NaN or infinity (the first offending row and column).
    case nonFinite(algorithm: String, row: Int, column: Int)
    /// More clusters / components than the data supports.
    case tooManyComponents(algorithm: String, requested: Int, limit: Int, reason: String)
    /// A hyper-parameter outside its range.
    case invalidParameter(algorithm: String, name: String, value: String, expected: String)
    /// Data with a different number of features than the fitted model.
    case featureMismatch(algorithm: String, expected: Int, got: Int)
    /// Every column is constant (zero total variance), so the ratio or whitening is undefined.
    case constantData(algorithm: String)
    /// A covariance lost positive definiteness (increase `regCovar`, or scale the data).
    case illDefinedCovariance(algorithm: String, component: Int)
    /// A given initialisation does not fit (`init` centres, mixture parameters).
    case badInitialization(algorithm: String, reason: String)
    /// A linear-algebra step failed.
    case linalg(LinalgError)

    public var description: String {
        switch self {
        case .emptyData(let a, let shape): "\(a): the data is empty (shape \(shape))"
        case .badShape(let a, let shape): "\(a): needs a 2-d float tensor [samples, features], got shape \(shape)"
        case .nonFinite(let a, let row, let column): "\(a): the data holds NaN or infinity (row \(row), column \(column))"
        case .tooManyComponents(let a, let requested, let limit, let reason):
            "\(a): \(requested) requested but at most \(limit) possible (\(reason))"
        case .invalidParameter(let a, let name, let value, let expected): "\(a): \(name) = \(value), expected \(expected)"
        case .featureMismatch(let a, let expected, let got): "\(a): fitted on \(expected) features, got \(got)"
        case .constantData(let a): "\(a): every column is constant (total variance 0)"
        case .illDefinedCovariance(let a, let k):
            "\(a): the covariance of component \(k) is not positive definite; increase regCovar or scale the data"
        case .badInitialization(let a, let reason): "\(a): bad initialisation: \(reason)"
        case .linalg(let error): error.description
        }
    }
}
