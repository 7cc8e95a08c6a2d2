import Testing
import TrainKitCore
@testable import TrainKitUnsupervised

@Suite struct PCATests {
    /// Data with a decaying spectrum: `Z · diag(10, 5, 2, 1, 0.5, 0.2) · R`.
    static let x: Tensor = {
        let z = Tensor.normal([300, 6], key: RandomKey(seed: 12), dtype: .float64)
        let scale = Tensor([10.0, 5, 2, 1, 0.5, 0.2], shape: [1, 6])
        let r = Tensor.normal([6, 6], key: RandomKey(seed: 13), dtype: .float64)
        return (z * scale).matmul(r) + 3
    }()

    @Test func fullRankInverseTransformReconstructs() throws {
        let model = try PCA(svdSolver: .full).fit(Self.x)
        let back = try model.inverseTransform(try model.transform(Self.x))
        let error = (back - Self.x).abs().max().item()
        #expect(error < 1e-9)
        #expect(abs(model.explainedVarianceRatio.reduce(0, +) - 1) < 1e-12)
    }

    @Test func whitenedComponentsHaveUnitVariance() throws {
        let model = try PCA(nComponents: 3, whiten: true, svdSolver: .full).fit(Self.x)
        let z = try model.transform(Self.x)
        let variance = z.toArray(as: Double.self)
        for c in 0..<3 {
            let column = (0..<300).map { variance[$0 * 3 + c] }
            let mean = column.reduce(0, +) / 300
            let v = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 299
            #expect(abs(v - 1) < 1e-9, "component \(c) variance \(v)")
        }
        let back = try model.inverseTransform(z)
        let direct = try PCA(nComponents: 3, svdSolver: .full).fit(Self.x)
        let unwhitened = try direct.inverseTransform(try direct.transform(Self.x))
        #expect((back - unwhitened).abs().max().item() < 1e-9)
    }

    @Test(arguments: [PCA.Solver.randomized, .covarianceEigh])
    func solversAgreeWithFullSVD(_ solver: PCA.Solver) throws {
        let full = try PCA(nComponents: 3, svdSolver: .full).fit(Self.x)
        let other = try PCA(nComponents: 3, svdSolver: solver, seed: 7).fit(Self.x)
        for (a, b) in zip(full.explainedVariance, other.explainedVariance) { #expect(abs(a - b) <= 1e-8 * a) }
        let diff = (full.components - other.components).abs().max().item()
        #expect(diff < 1e-6, "components differ by \(diff)")
    }

    /// Float32 data keeps float32 in the large steps (the full solver's QR, the randomized products), as
    /// scikit-learn does; the spectrum agrees with the float64 fit to float32 precision.
    @Test(arguments: [PCA.Solver.full, .randomized])
    func float32DataAgreesWithFloat64(_ solver: PCA.Solver) throws {
        let wide = try PCA(nComponents: 3, svdSolver: solver, seed: 7).fit(Self.x)
        let narrow = try PCA(nComponents: 3, svdSolver: solver, seed: 7).fit(Self.x.to(.float32))
        for (a, b) in zip(wide.explainedVariance, narrow.explainedVariance) { #expect(abs(a - b) <= 1e-4 * a) }
        let diff = (wide.components - narrow.components.to(.float64)).abs().max().item()
        #expect(diff < 1e-3, "components differ by \(diff)")
    }

    @Test func componentsAreSignNormalisedUnitRows() throws {
        let model = try PCA(nComponents: 4, svdSolver: .full).fit(Self.x)
        let c = model.components.toArray(as: Double.self)
        for r in 0..<4 {
            let row = Array(c[(r * 6)..<((r + 1) * 6)])
            #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
            let largest = row.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
        let v = model.explainedVariance
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func autoPicksScikitLearnsSolver() {
        #expect(PCA.resolvedSolver(.auto, samples: 60000, features: 784, components: 50) == .covarianceEigh)
        #expect(PCA.resolvedSolver(.auto, samples: 2000, features: 1500, components: 50) == .randomized)
        #expect(PCA.resolvedSolver(.auto, samples: 40, features: 30, components: 3) == .full)
    }

    @Test func badInputIsANamedError() {
        #expect(throws: UnsupervisedError.constantData(algorithm: "pca")) {
            try PCA(nComponents: 1).fit(Tensor.ones([5, 3], dtype: .float64))
        }
        #expect(throws: UnsupervisedError.self) { try PCA(nComponents: 4).fit(Tensor.normal([10, 3], dtype: .float64)) }
        #expect(throws: UnsupervisedError.self) { try PCA().fit(Tensor.normal([1, 3], dtype: .float64)) }
        #expect(throws: UnsupervisedError.nonFinite(algorithm: "pca", row: 0, column: 1)) {
            try PCA().fit(Tensor([1, Double.infinity, 2, 3], shape: [2, 2]))
        }
        #expect(throws: UnsupervisedError.self) {
            try PCA(nComponents: 1).fit(Self.x).transform(Tensor.zeros([2, 5], dtype: .float64))
        }
    }
}
