/// Why a linear-algebra op (``Tensor/cholesky(upper:)``, ``Tensor/solve(_:_:)``, ``Tensor/inv()``,
/// ``Tensor/svd()``, ``Tensor/eigh()``, ``Tensor/qr()``) refused its input or failed.
public struct LinalgError: Error, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        /// The input holds NaN or infinity.
        case nonFinite
        /// The matrix is singular: the LU factorisation's pivot at this (0-based) position is zero.
        case singular(pivot: Int)
        /// The matrix is not (numerically) positive definite: the leading minor of this order (1-based) is not.
        case notPositiveDefinite(minor: Int)
        /// The op needs a square matrix.
        case notSquare(shape: [Int])
        /// The shapes do not fit the op (rank, or the right-hand side's rows).
        case badShape(String)
        /// Only float32 and float64 are supported.
        case unsupportedDType(DType)
        /// The iterative routine did not converge.
        case noConvergence
    }

    /// The op: "cholesky", "solve", "inv", "svd", "eigh" or "qr".
    public let op: String
    public let reason: Reason

    public init(op: String, _ reason: Reason) {
        self.op = op
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .nonFinite: "\(op): the input contains NaN or infinity"
        case .singular(let pivot): "\(op): the matrix is singular (zero pivot at position \(pivot))"
        case .notPositiveDefinite(let minor):
            "\(op): the matrix is not positive definite (leading minor of order \(minor) is not)"
        case .notSquare(let shape): "\(op): needs square matrices, got shape \(shape)"
        case .badShape(let what): "\(op): \(what)"
        case .unsupportedDType(let dtype): "\(op): needs a float32 or float64 tensor, got \(dtype)"
        case .noConvergence: "\(op): the iteration did not converge"
        }
    }
}
