import Foundation
import TrainKitCore

/// Matrix products of host float64 arrays through the default device's float64 GEMM (the BLAS when one is
/// loaded), for the estimators' large products.
enum HostProducts {
    /// `op(A) · op(B)` for row-major `a` (`[m, k]`, or `[k, m]` with `transposeA`) and `b` (`[k, n]`, or
    /// `[n, k]` with `transposeB`); returns row-major `[m, n]`.
    static func multiply(_ a: [Double], _ aShape: (Int, Int), transposeA: Bool = false,
                         _ b: [Double], _ bShape: (Int, Int), transposeB: Bool = false) -> [Double] {
        var ta = Tensor(a, shape: [aShape.0, aShape.1])
        var tb = Tensor(b, shape: [bShape.0, bShape.1])
        if transposeA { ta = ta.T }
        if transposeB { tb = tb.T }
        return noGrad { ta.mm(tb) }.toArray(as: Double.self)
    }
}

extension HostProducts {
    /// `op(T) · B` for a tensor `t` already on its device (the data, made once) and row-major `b`, in `t`'s dtype.
    static func multiply(_ t: Tensor, transposeA: Bool = false, _ b: [Double], _ bShape: (Int, Int)) -> [Double] {
        let tb = Tensor.fromHost(b, shape: [bShape.0, bShape.1], dtype: t.dtype, device: t.device)
        return noGrad { (transposeA ? t.T : t).mm(tb) }.toArray(as: Double.self)
    }
}

/// Draws from the standard normal distribution with a seeded generator (Box–Muller).
struct NormalSampler {
    var generator: KeyedGenerator
    var spare: Double? = nil

    init(seed: UInt64) { generator = KeyedGenerator(seed: seed) }

    mutating func next() -> Double {
        if let s = spare { spare = nil; return s }
        var u = 0.0
        repeat { u = Double.random(in: 0..<1, using: &generator) } while u == 0
        let v = Double.random(in: 0..<1, using: &generator)
        let r = (-2 * Foundation.log(u)).squareRoot()
        spare = r * Foundation.sin(2 * Double.pi * v)
        return r * Foundation.cos(2 * Double.pi * v)
    }
}
