import Testing
import TrainKitCore
@testable import TrainKitMetrics

/// Adjusted Rand index, normalized mutual information and silhouette: scikit-learn's values on small
/// examples (from `sklearn.metrics` 1.9.1, written down here), invariances, and a direct O(n²) silhouette.
@Suite struct ClusteringMetricsTests {
    @Test func matchScikitLearnOnSmallExamples() throws {
        let a = Tensor([0, 0, 1, 2]), b = Tensor([0, 0, 1, 1])
        #expect(abs(try ClusteringMetrics.adjustedRandIndex(a, b) - 0.5714285714285714) < 1e-12)
        #expect(abs(try ClusteringMetrics.normalizedMutualInformation(a, b) - 0.7999999999999999) < 1e-12)
        let c = Tensor([0, 0, 0, 1, 1, 1, 2, 2]), d = Tensor([1, 1, 0, 0, 2, 2, 2, 0])
        #expect(abs(try ClusteringMetrics.adjustedRandIndex(c, d) - 0.047619047619047616) < 1e-12)
        #expect(abs(try ClusteringMetrics.normalizedMutualInformation(c, d) - 0.3987478202411471) < 1e-12)
        let x = Tensor([0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5.5, 2, 2], shape: [7, 2])
        #expect(abs(try ClusteringMetrics.silhouetteScore(x, labels: Tensor([0, 0, 0, 1, 1, 1, 0])) - 0.7652267319444911) < 1e-12)
    }

    @Test func specialCasesAsScikitLearn() throws {
        #expect(try ClusteringMetrics.adjustedRandIndex(Tensor([0, 0, 0]), Tensor([1, 1, 1])) == 1)
        #expect(try ClusteringMetrics.normalizedMutualInformation(Tensor([0, 0, 0]), Tensor([1, 1, 1])) == 1)
        #expect(try ClusteringMetrics.adjustedRandIndex(Tensor([0, 1, 2]), Tensor([0, 0, 0])) == 0)
        #expect(try ClusteringMetrics.normalizedMutualInformation(Tensor([0, 1, 2]), Tensor([0, 0, 0])) == 0)
    }

    @Test func renamingClustersChangesNothingAndOrderDoesNotMatter() throws {
        var generator = KeyedGenerator(seed: 4)
        let truth = (0..<300).map { _ in Int.random(in: 0..<4, using: &generator) }
        let pred = truth.map { Int.random(in: 0..<10, using: &generator) < 8 ? $0 : Int.random(in: 0..<4, using: &generator) }
        let renamed = pred.map { [7, 3, 11, 0][$0] }
        let (t, p, r) = (Tensor(truth), Tensor(pred), Tensor(renamed))
        for f in [ClusteringMetrics.adjustedRandIndex, ClusteringMetrics.normalizedMutualInformation] {
            let value = try f(t, p)
            #expect(value > 0.3 && value < 1)
            #expect(abs(try f(t, r) - value) < 1e-12)
            #expect(abs(try f(p, t) - value) < 1e-12)
            #expect(abs(try f(t, Tensor(truth.map { $0 + 5 })) - 1) < 1e-12)
        }
        let independent = (0..<2000).map { _ in Int.random(in: 0..<4, using: &generator) }
        let truth2 = (0..<2000).map { _ in Int.random(in: 0..<4, using: &generator) }
        #expect(abs(try ClusteringMetrics.adjustedRandIndex(Tensor(truth2), Tensor(independent))) < 0.02)
    }

    @Test func silhouetteMatchesTheDefinitionComputedDirectly() throws {
        let x = Tensor.uniform([90, 3], low: -1, high: 1, key: RandomKey(seed: 6), dtype: .float64)
        let labels = (0..<90).map { $0 % 3 }
        let v = x.toArray(as: Double.self)
        func dist(_ i: Int, _ j: Int) -> Double { (0..<3).reduce(0.0) { $0 + (v[i * 3 + $1] - v[j * 3 + $1]) * (v[i * 3 + $1] - v[j * 3 + $1]) }.squareRoot() }
        var total = 0.0
        for i in 0..<90 {
            var mean = [Double](repeating: 0, count: 3)
            for j in 0..<90 where j != i { mean[labels[j]] += dist(i, j) }
            let a = mean[labels[i]] / 29
            let b = (0..<3).filter { $0 != labels[i] }.map { mean[$0] / 30 }.min()!
            total += (b - a) / max(a, b)
        }
        #expect(abs(try ClusteringMetrics.silhouetteScore(x, labels: Tensor(labels)) - total / 90) < 1e-10)
    }

    @Test func badInputIsANamedError() {
        #expect(throws: ClusteringMetricError.self) { try ClusteringMetrics.adjustedRandIndex(Tensor([0, 1]), Tensor([0])) }
        #expect(throws: ClusteringMetricError.badClusterCount(metric: "silhouette", clusters: 1, samples: 3)) {
            try ClusteringMetrics.silhouetteScore(Tensor.zeros([3, 2], dtype: .float64), labels: Tensor([0, 0, 0]))
        }
        #expect(throws: ClusteringMetricError.self) {
            try ClusteringMetrics.silhouetteScore(Tensor([0, .nan, 1, 2, 3, 4], shape: [3, 2]), labels: Tensor([0, 1, 1]))
        }
    }
}
