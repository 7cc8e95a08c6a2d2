import Foundation
import Testing
import TrainKitCore

/// The float32 kernels use branch-free exp / tanh / erf (fast_math.h); these compare them with libm in float64
/// over a wide range, including the edges (underflow, overflow, infinities, NaN).
@Suite struct FastMathTests {
    static let inputs: [Float] = stride(from: -100.0, through: 100.0, by: 0.037).map { Float($0) }
        + [0, -0.0, 1e-8, -1e-8, 1e-30, 88.7, 88.72, 88.72283, 88.73, -87.3, -87.33, -87.3365, -87.4, -103]
        + [.infinity, -.infinity]

    /// Near zero and across the switches between formulas (tanh at 0.625, erf at 1): every power of 2 from
    /// 2^-126 to 1/2 with its neighbours, and [0, 1.5] every 1e-4 (erf's largest error once sat near 0.035).
    static let smallInputs: [Float] = {
        let powers = (-126...(-1)).flatMap { e -> [Float] in
            let p = Float(sign: .plus, exponent: e, significand: 1)
            return [p.nextDown, p, p.nextUp, p * 1.37]
        }
        let dense = stride(from: 0.0, through: 1.5, by: 1e-4).map { Float($0) }
        let positive = powers + dense
        return positive + positive.map { -$0 }
    }()

    func check(
        _ name: String, _ actual: [Float], _ reference: (Double) -> Double, rtol: Double, atol: Double,
        inputs: [Float] = inputs
    ) {
        var worst = 0.0, worstAt: Float = 0
        for (x, y) in zip(inputs, actual) {
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
        // erf is within 2e-7 of the exact value, so within 2e-7 and half an ulp of the rounded one
        check("erf", t.erf().toArray(), { Foundation.erf($0) }, rtol: Double(Float.ulpOfOne) / 2, atol: 2e-7)
        let moderate = Tensor(Self.inputs.filter { Swift.abs($0) < 20 })
        let gelu = moderate.gelu().toArray()
        for (x, y) in zip(moderate.toArray(), gelu) {
            let r = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(Swift.abs(Double(y) - r) <= 1e-6 * Swift.max(1, Swift.abs(r)), "gelu(\(x)) = \(y), expected \(r)")
        }
    }

    /// tanh and erf keep their relative accuracy near zero (x · p(x²) there, where `1 - e` would cancel): tanh
    /// within 2 ulp of libm, erf within 3 ulp below |x| = 1 and within its absolute 2e-7 above.
    @Test func tanhAndErfNearZero() {
        let t = Tensor(Self.smallInputs)
        let ulp = Double(Float.ulpOfOne)
        check("tanh", t.tanh().toArray(), { Foundation.tanh($0) }, rtol: 2 * ulp, atol: 0, inputs: Self.smallInputs)
        let erf = t.erf().toArray()
        let below = zip(Self.smallInputs, erf).filter { Swift.abs($0.0) < 1 }
        check("erf", below.map(\.1), { Foundation.erf($0) }, rtol: 3 * ulp, atol: 0, inputs: below.map(\.0))
        check("erf", erf, { Foundation.erf($0) }, rtol: ulp / 2, atol: 2e-7, inputs: Self.smallInputs)
        #expect(Tensor([Float(1e-8)]).tanh().toArray() == [1e-8])  // tanh(x) = x - x³/3 + …: x itself in float
    }
}
