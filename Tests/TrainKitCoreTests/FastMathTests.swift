import Foundation
import Testing
import TrainKitCore

/// The float32 kernels use branch-free exp / tanh / erf (fast_math.h); these compare them with libm in float64
/// over a wide range, including the edges (underflow, overflow, infinities, NaN).
@Suite struct FastMathTests {
    static let inputs: [Float] = stride(from: -100.0, through: 100.0, by: 0.037).map { Float($0) }
        + [0, -0.0, 1e-8, -1e-8, 1e-30, 88.7, 88.73, -87.3, -87.4, -103, .infinity, -.infinity]

    func check(_ name: String, _ actual: [Float], _ reference: (Double) -> Double, rtol: Double, atol: Double) {
        var worst = 0.0, worstAt: Float = 0
        for (x, y) in zip(Self.inputs, actual) {
            let r = Double(Float(reference(Double(x))))  // the float32 result: beyond FLT_MAX it is inf
            if r.isInfinite { #expect(y == Float(r), "\(name)(\(x)) = \(y), expected \(r)"); continue }
            let err = Swift.abs(Double(y) - r) / (atol + rtol * Swift.abs(r))
            if err > worst { worst = err; worstAt = x }
        }
        #expect(worst <= 1, "\(name): worst error \(worst)× the allowed band at x = \(worstAt)")
    }

    @Test func expMatchesLibm() {
        let t = Tensor(Self.inputs)
        check("exp", t.exp().toArray(), { Foundation.exp($0) }, rtol: 3e-7, atol: 1.2e-38)  // subnormal results flush to 0
        #expect(Tensor([Float.nan]).exp().toArray()[0].isNaN)
    }

    @Test func tanhSigmoidErfGeluMatchLibm() {
        let t = Tensor(Self.inputs)
        check("tanh", t.tanh().toArray(), { Foundation.tanh($0) }, rtol: 1e-6, atol: 2e-7)
        check("sigmoid", t.sigmoid().toArray(), { 1 / (1 + Foundation.exp(-$0)) }, rtol: 1e-6, atol: 1e-7)
        check("erf", t.erf().toArray(), { Foundation.erf($0) }, rtol: 0, atol: 3e-7)
        let moderate = Tensor(Self.inputs.filter { Swift.abs($0) < 20 })
        let gelu = moderate.gelu().toArray()
        for (x, y) in zip(moderate.toArray(), gelu) {
            let r = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(Swift.abs(Double(y) - r) <= 1e-6 * Swift.max(1, Swift.abs(r)), "gelu(\(x)) = \(y), expected \(r)")
        }
    }
}
