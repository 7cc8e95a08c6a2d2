import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitUnsupervised

/// The scikit-learn reference cases of `unsupervised.json` (the repository's or `$TRAINKIT_FIXTURES`):
/// PCA up to the documented sign convention, k-means from a given init, Gaussian-mixture EM from given
/// parameters — every listed output within the case's tolerance, integer results exactly.
@Suite struct UnsupervisedFixtureTests {
    static let cases: [FixtureCase] = (try? Fixtures.cases("unsupervised")) ?? []

    @Test func theGroupLoadsAndHasEveryAlgorithm() throws {
        let cases = try Fixtures.cases("unsupervised")
        let algorithms = Set(cases.map { $0.raw["algorithm"] as? String ?? "" })
        #expect(algorithms.isSuperset(of: ["pca", "kmeans", "gaussian_mixture"]), "algorithms: \(algorithms)")
    }

    @Test(arguments: cases.map(\.name))
    func caseMatchesScikitLearn(_ name: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == name })
        let algorithm = fixture.raw["algorithm"] as? String ?? ""
        let failures: [String]
        switch algorithm {
        case "pca": failures = try pcaFailures(fixture)
        case "kmeans": failures = try kmeansFailures(fixture)
        case "gaussian_mixture": failures = try mixtureFailures(fixture)
        default: failures = ["unknown algorithm \(algorithm)"]
        }
        for failure in failures { Issue.record(Comment(rawValue: "\(name): \(failure)")) }
    }

    func expected(_ fixture: FixtureCase, _ key: String) throws -> Tensor {
        let dict = try #require(fixture.raw["expected"] as? [String: Any])
        return try #require(FixtureCase.tensor(from: dict[key] as Any, float64: true), "\(key) missing")
    }

    func expectedNumber(_ fixture: FixtureCase, _ key: String) throws -> Double {
        let dict = try #require(fixture.raw["expected"] as? [String: Any])
        return try #require((dict[key] as? NSNumber)?.doubleValue, "\(key) missing")
    }

    func compare(_ label: String, _ actual: Tensor, _ expected: Tensor, _ fixture: FixtureCase) -> String? {
        closenessFailure(actual.to(.float64), expected, rtol: fixture.rtol, atol: fixture.atol).map { "\(label): \($0)" }
    }

    func compareScalar(_ label: String, _ actual: Double, _ expected: Double, _ fixture: FixtureCase) -> String? {
        abs(actual - expected) <= fixture.atol + fixture.rtol * abs(expected) ? nil : "\(label): \(actual) vs \(expected)"
    }

    func pcaFailures(_ fixture: FixtureCase) throws -> [String] {
        let data = try #require(fixture.tensors("inputs")["data"])
        let k = try #require(fixture.int("n_components"))
        var failures: [String] = []
        for solver in [PCA.Solver.full, .covarianceEigh] {
            let model = try PCA(nComponents: k, whiten: fixture.bool("whiten") ?? false, svdSolver: solver).fit(data)
            let s = "\(solver)"
            failures += [
                compare("\(s) components", model.components, try expected(fixture, "components"), fixture),
                compare("\(s) mean", model.mean, try expected(fixture, "mean"), fixture),
                compare("\(s) explained_variance", Tensor(model.explainedVariance), try expected(fixture, "explained_variance"), fixture),
                compare("\(s) explained_variance_ratio", Tensor(model.explainedVarianceRatio),
                        try expected(fixture, "explained_variance_ratio"), fixture),
                compare("\(s) singular_values", Tensor(model.singularValues), try expected(fixture, "singular_values"), fixture),
                compare("\(s) transformed", try model.transform(data), try expected(fixture, "transformed"), fixture),
            ].compactMap { $0 }
        }
        return failures
    }

    func kmeansFailures(_ fixture: FixtureCase) throws -> [String] {
        let inputs = fixture.tensors("inputs")
        let data = try #require(inputs["data"]), initial = try #require(inputs["init"])
        var failures: [String] = []
        for algorithm in KMeans.Algorithm.allCases {
            let model = try KMeans(nClusters: try #require(fixture.int("n_clusters")), initialization: .centers(initial),
                                   nInit: 1, maxIter: try #require(fixture.int("max_iter")),
                                   tol: try #require(fixture.double("tol")), algorithm: algorithm).fit(data)
            let a = "\(algorithm)"
            failures += [
                compare("\(a) centers", model.centers, try expected(fixture, "centers"), fixture),
                exactFailure(model.labels, try expected(fixture, "labels").to(.int64)).map { "\(a) labels: \($0)" },
                compareScalar("\(a) inertia", model.inertia, try expectedNumber(fixture, "inertia"), fixture),
                model.nIter == Int(try expectedNumber(fixture, "n_iter")) ? nil
                    : "\(a) n_iter \(model.nIter) vs \(try expectedNumber(fixture, "n_iter"))",
            ].compactMap { $0 }
        }
        return failures
    }

    func mixtureFailures(_ fixture: FixtureCase) throws -> [String] {
        let inputs = fixture.tensors("inputs")
        let data = try #require(inputs["data"])
        let type = try #require(GaussianMixture.CovarianceType(rawValue: fixture.string("covariance_type") ?? ""))
        let mixture = GaussianMixture(
            nComponents: try #require(fixture.int("n_components")), covarianceType: type,
            tol: try #require(fixture.double("tol")), regCovar: try #require(fixture.double("reg_covar")),
            maxIter: try #require(fixture.int("max_iter")), nInit: 1,
            initialization: .parameters(weights: try #require(inputs["weights_init"]), means: try #require(inputs["means_init"]),
                                        precisions: try #require(inputs["precisions_init"])))
        let model = try mixture.fit(data)
        let dict = try #require(fixture.raw["expected"] as? [String: Any])
        let converged = try #require(dict["converged"] as? Bool)
        return [
            compare("weights", model.weights, try expected(fixture, "weights"), fixture),
            compare("means", model.means, try expected(fixture, "means"), fixture),
            compare("covariances", model.covariances, try expected(fixture, "covariances"), fixture),
            compareScalar("lower_bound", model.lowerBound, try expectedNumber(fixture, "lower_bound"), fixture),
            model.nIter == Int(try expectedNumber(fixture, "n_iter")) ? nil
                : "n_iter \(model.nIter) vs \(try expectedNumber(fixture, "n_iter"))",
            model.converged == converged ? nil : "converged \(model.converged) vs \(converged)",
        ].compactMap { $0 }
    }
}
