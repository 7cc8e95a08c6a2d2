import TrainKitCore

/// Validated training data in host memory: `[samples, features]` as row-major float64, with the float64
/// tensor of the same values (for the matrix products).
struct DataMatrix {
    let rows: Int
    let cols: Int
    let values: [Double]
    let dtype: DType
    /// The data as given (`[rows, cols]`, contiguous, its own dtype and device): the products of Lloyd's
    /// iterations run on it in the data's dtype, as scikit-learn computes in `X`'s dtype.
    var source: Tensor { cache.source }
    private let cache: TensorCache
    /// The same values as a float64 tensor `[rows, cols]` (made on first use, once, for the GEMMs).
    var tensor: Tensor { cache.tensor }

    /// Checks `x` is a non-empty 2-d float tensor of finite values.
    init(_ x: Tensor, algorithm: String) throws {
        guard x.rank == 2, x.dtype.isFloatingPoint else { throw UnsupervisedError.badShape(algorithm: algorithm, shape: x.shape) }
        guard x.shape[0] > 0, x.shape[1] > 0 else { throw UnsupervisedError.emptyData(algorithm: algorithm, shape: x.shape) }
        rows = x.shape[0]
        cols = x.shape[1]
        dtype = x.dtype
        values = x.toArray(as: Double.self)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw UnsupervisedError.nonFinite(algorithm: algorithm, row: bad / cols, column: bad % cols)
        }
        cache = TensorCache(values, shape: [rows, cols], source: x.contiguous())
    }

    init(rows: Int, cols: Int, values: [Double], dtype: DType = .float64) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.dtype = dtype
        cache = TensorCache(values, shape: [rows, cols], dtype: dtype)
    }

    /// Row `i` as a slice.
    @inline(__always) func row(_ i: Int) -> ArraySlice<Double> { values[(i * cols)..<((i + 1) * cols)] }

    /// Per-column means.
    var columnMeans: [Double] {
        var mean = [Double](repeating: 0, count: cols)
        for i in 0..<rows { for j in 0..<cols { mean[j] += values[i * cols + j] } }
        return mean.map { $0 / Double(rows) }
    }

    /// Per-column population variances (divisor n), two-pass.
    var columnVariances: [Double] {
        let mean = columnMeans
        var v = [Double](repeating: 0, count: cols)
        for i in 0..<rows {
            for j in 0..<cols {
                let d = values[i * cols + j] - mean[j]
                v[j] += d * d
            }
        }
        return v.map { $0 / Double(rows) }
    }

    /// Squared norms of the rows.
    var rowSquaredNorms: [Double] {
        let (n, d) = (rows, cols)
        return values.withUnsafeBufferPointer { x in
            [Double](unsafeUninitializedCapacity: n) { out, count in
                for i in 0..<n {
                    var s = 0.0
                    let row = x.baseAddress! + i * d
                    for j in 0..<d { s += row[j] * row[j] }
                    out[i] = s
                }
                count = n
            }
        }
    }

    /// Squared Euclidean distances `[rows, k]` from every row to every centre
    /// (`‖x‖² - 2 x·c + ‖c‖²` with `x·c` from one GEMM, clamped at 0).
    func squaredDistances(to centers: [Double], count k: Int, rowNorms: [Double]? = nil) -> [Double] {
        let c = Tensor(centers, shape: [k, cols])
        var out = noGrad { tensor.mm(c.T) }.toArray(as: Double.self)
        let xn = rowNorms ?? rowSquaredNorms
        let d = cols
        let cn = (0..<k).map { c in (0..<d).reduce(0.0) { $0 + centers[c * d + $1] * centers[c * d + $1] } }
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<rows {
                let base = i * k
                for c in 0..<k { o[base + c] = Swift.max(xn[i] - 2 * o[base + c] + cn[c], 0) }
            }
        }
        return out
    }

    /// Exact squared distance from row `i` to centre `c` of `centers`.
    @inline(__always) func squaredDistance(row i: Int, _ centers: [Double], _ c: Int) -> Double {
        let d = cols
        return values.withUnsafeBufferPointer { x in
            centers.withUnsafeBufferPointer { m in
                var s = 0.0
                let xr = x.baseAddress! + i * d, cr = m.baseAddress! + c * d
                for j in 0..<d {
                    let t = xr[j] - cr[j]
                    s += t * t
                }
                return s
            }
        }
    }
}

/// A float64 tensor made from host values on first use, and the data in its own dtype.
final class TensorCache: @unchecked Sendable {
    let values: [Double]
    let shape: [Int]
    private let given: Tensor?
    private let dtype: DType
    lazy var tensor: Tensor = given.flatMap { $0.dtype == .float64 && $0.device == .default ? $0 : nil }
        ?? Tensor(values, shape: shape)
    lazy var source: Tensor = given ?? (dtype == .float64 ? tensor : tensor.to(dtype))

    init(_ values: [Double], shape: [Int], source: Tensor? = nil, dtype: DType = .float64) {
        self.values = values
        self.shape = shape
        given = source
        self.dtype = source?.dtype ?? dtype
    }
}
