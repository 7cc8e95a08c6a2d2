/// A dense row-major float64 matrix in host memory: the working type of the decompositions (LAPACK and the
/// built-in routines), which run on the host for every backend (see ``Tensor/svd()``).
package struct HostMatrix: Sendable, Equatable {
    package var rows: Int
    package var cols: Int
    /// Row-major: element (i, j) at `i * cols + j`.
    package var values: [Double]

    package init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "HostMatrix: \(values.count) values for \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    package init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, values: [Double](repeating: 0, count: rows * cols))
    }

    package static func identity(_ n: Int) -> HostMatrix {
        var m = HostMatrix(zeros: n, n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inline(__always) package subscript(i: Int, j: Int) -> Double {
        get { values[i * cols + j] }
        set { values[i * cols + j] = newValue }
    }

    /// The transpose (a copy), which is also the column-major layout LAPACK reads.
    package var transposed: HostMatrix {
        var t = HostMatrix(zeros: cols, rows)
        values.withUnsafeBufferPointer { src in
            t.values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows { for j in 0..<cols { dst[j * rows + i] = src[i * cols + j] } }
            }
        }
        return t
    }

    /// `self · other`.
    package func multiplied(by other: HostMatrix) -> HostMatrix {
        precondition(cols == other.rows)
        var out = HostMatrix(zeros: rows, other.cols)
        let n = other.cols
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.values.withUnsafeMutableBufferPointer { c in
                    for i in 0..<rows {
                        for k in 0..<cols {
                            let aik = a[i * cols + k]
                            if aik == 0 { continue }
                            for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
                        }
                    }
                }
            }
        }
        return out
    }

    package var isFinite: Bool { values.allSatisfy(\.isFinite) }
}
