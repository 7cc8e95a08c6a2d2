import Testing
import TrainKitCore
@testable import TrainKitUnsupervised

@Suite struct GaussianMixtureTests {
    let data = blobs([[0, 0, 0], [5, 5, 0], [0, 5, 5]], perCluster: 40, spread: 0.7, seed: 21)

    @Test(arguments: GaussianMixture.CovarianceType.allCases)
    func emFindsTheBlobsWithEveryCovarianceType(_ type: GaussianMixture.CovarianceType) throws {
        let model = try GaussianMixture(nComponents: 3, covarianceType: type, seed: 1).fit(data.x)
        #expect(model.converged)
        #expect(samePartition(try model.predict(data.x).toArray(as: Int64.self).map { Int($0) }, data.labels))
        let weights = model.weights.toArray(as: Double.self)
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
        let expectedShape: [Int] = switch type {
        case .full: [3, 3, 3]
        case .tied: [3, 3]
        case .diag: [3, 3]
        case .spherical: [3]
        }
        #expect(model.covariances.shape == expectedShape)
        // EM never lowers the likelihood: the final parameters score at least the last E-step's bound.
        #expect(try model.score(data.x) >= model.lowerBound - 1e-9)
    }

    @Test(arguments: [GaussianMixture.Initialization.kMeansPlusPlus, .random, .randomFromData])
    func everyInitialisationIsSeededAndEMImprovesOnIt(_ initialization: GaussianMixture.Initialization) throws {
        let mixture = GaussianMixture(nComponents: 3, initialization: initialization, seed: 1)
        let model = try mixture.fit(data.x)
        #expect(model.lowerBound == (try mixture.fit(data.x)).lowerBound)
        var start = mixture
        start.maxIter = 1  // the first E-step's bound: the initial parameters
        #expect(model.lowerBound > (try start.fit(data.x)).lowerBound)
        if case .randomFromData = initialization { return }  // single-point starts may stop in a local optimum
        // Three starts find the k-means-initialised optimum.
        let best = try GaussianMixture(nComponents: 3, nInit: 3, initialization: initialization, seed: 1).fit(data.x)
        let reference = try GaussianMixture(nComponents: 3, seed: 1).fit(data.x)
        #expect(best.lowerBound >= reference.lowerBound - 0.05, "\(best.lowerBound) vs \(reference.lowerBound)")
    }

    @Test func probabilitiesScoresAndCriteriaAreConsistent() throws {
        let model = try GaussianMixture(nComponents: 3, seed: 2).fit(data.x)
        let proba = try model.predictProba(data.x)
        let p = proba.toArray(as: Double.self)
        let labels = try model.predict(data.x).toArray(as: Int64.self)
        for i in 0..<120 {
            let row = Array(p[(i * 3)..<((i + 1) * 3)])
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            #expect(row.firstIndex(of: row.max()!) == Int(labels[i]))
        }
        let samples = try model.scoreSamples(data.x).toArray(as: Double.self)
        let score = try model.score(data.x)
        #expect(abs(samples.reduce(0, +) / 120 - score) < 1e-12)
        let (bic, aic) = (try model.bic(data.x), try model.aic(data.x))
        #expect(model.parameterCount == 3 * 6 + 3 * 3 + 2)
        #expect(abs((bic - aic) - Double(model.parameterCount) * (log(120.0) - 2)) < 1e-9)
    }

    @Test func parameterCountsFollowTheCovarianceType() throws {
        var counts: [GaussianMixture.CovarianceType: Int] = [:]
        for type in GaussianMixture.CovarianceType.allCases {
            counts[type] = try GaussianMixture(nComponents: 2, covarianceType: type, maxIter: 2).fit(data.x).parameterCount
        }
        // k = 2, d = 3: means 6, weights 1, covariances 12 / 6 / 6 / 2.
        #expect(counts == [.full: 19, .tied: 13, .diag: 13, .spherical: 9])
    }

    @Test func badInputIsANamedError() {
        #expect(throws: UnsupervisedError.self) { try GaussianMixture(nComponents: 200).fit(data.x) }
        #expect(throws: UnsupervisedError.self) {
            try GaussianMixture(nComponents: 1).fit(Tensor([1, .nan, 2, 3], shape: [2, 2]))
        }
        #expect(throws: UnsupervisedError.self) {
            try GaussianMixture(nComponents: 1, initialization: .parameters(
                weights: Tensor([1.0]), means: Tensor([0.0, 0.0], shape: [1, 2]),
                precisions: Tensor([1.0, 2.0, 2.0, 1.0], shape: [1, 2, 2]))).fit(Tensor.normal([5, 2], dtype: .float64))
        }
        // Identical points and no regularisation: the covariance is singular.
        #expect(throws: UnsupervisedError.illDefinedCovariance(algorithm: "gaussian_mixture", component: 0)) {
            try GaussianMixture(nComponents: 1, regCovar: 0).fit(Tensor.ones([6, 2], dtype: .float64))
        }
    }
}

import Foundation
