import Testing
import TrainKitCore
@testable import TrainKitUnsupervised

/// Fitted models saved as named tensors and restored predict exactly as the originals.
@Suite struct ModelStateTests {
    let data = blobs([[0, 0, 0], [5, 5, 0], [0, 5, 5]], perCluster: 30, spread: 0.8, seed: 41)

    @Test func kmeansRoundTrips() throws {
        let model = try KMeans(nClusters: 3, seed: 1).fit(data.x)
        let restored = try KMeansModel(stateTensors: model.stateTensors)
        #expect(try restored.predict(data.x).toArray(as: Int64.self) == model.labels.toArray(as: Int64.self))
        #expect(try restored.transform(data.x).toArray(as: Double.self) == (try model.transform(data.x)).toArray(as: Double.self))
        #expect(restored.inertia == model.inertia && restored.nIter == model.nIter)
    }

    @Test(arguments: [false, true])
    func pcaRoundTrips(_ whiten: Bool) throws {
        let model = try PCA(nComponents: 2, whiten: whiten).fit(data.x)
        let restored = try PCAModel(stateTensors: model.stateTensors)
        #expect(try restored.transform(data.x).toArray(as: Double.self) == (try model.transform(data.x)).toArray(as: Double.self))
        #expect(restored.whiten == whiten && restored.explainedVarianceRatio == model.explainedVarianceRatio)
    }

    @Test(arguments: GaussianMixture.CovarianceType.allCases)
    func mixtureRoundTrips(_ type: GaussianMixture.CovarianceType) throws {
        let model = try GaussianMixture(nComponents: 3, covarianceType: type, seed: 2).fit(data.x)
        let restored = try GaussianMixtureModel(stateTensors: model.stateTensors)
        #expect(restored.covarianceType == type && restored.converged == model.converged && restored.nIter == model.nIter)
        let a = try model.scoreSamples(data.x).toArray(as: Double.self)
        let b = try restored.scoreSamples(data.x).toArray(as: Double.self)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * abs($0) })
    }

    @Test func brokenStateIsANamedError() throws {
        var state = try KMeans(nClusters: 2, seed: 1).fit(data.x).stateTensors
        state["cluster_centers"] = Tensor([Double.nan, 0], shape: [1, 2])
        #expect(throws: UnsupervisedError.self) { try KMeansModel(stateTensors: state) }
        var mixture = try GaussianMixture(nComponents: 2, covarianceType: .diag, seed: 1).fit(data.x).stateTensors
        mixture["covariance_type"] = Tensor([Int64(0)], shape: [])  // full, but covariances are [k, d]
        #expect(throws: UnsupervisedError.self) { try GaussianMixtureModel(stateTensors: mixture) }
        #expect(throws: UnsupervisedError.self) { try PCAModel(stateTensors: [:]) }
    }
}
