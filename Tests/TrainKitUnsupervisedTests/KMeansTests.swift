import Testing
import TrainKitCore
@testable import TrainKitUnsupervised

@Suite struct KMeansTests {
    let data = blobs([[0, 0], [6, 0], [0, 6], [6, 6]], perCluster: 25, spread: 0.6, seed: 3)
    let noisy = Tensor.uniform([200, 4], low: -1, high: 1, key: RandomKey(seed: 8), dtype: .float64)

    @Test func kMeansPlusPlusFindsSeparatedBlobs() throws {
        let model = try KMeans(nClusters: 4, seed: 1).fit(data.x)
        #expect(samePartition(model.labels.toArray(as: Int64.self).map { Int($0) }, data.labels))
        #expect(model.centers.shape == [4, 2])
    }

    @Test func theSameSeedGivesTheSameModel() throws {
        let a = try KMeans(nClusters: 5, nInit: 2, seed: 9).fit(noisy)
        let b = try KMeans(nClusters: 5, nInit: 2, seed: 9).fit(noisy)
        #expect(a.centers.toArray(as: Double.self) == b.centers.toArray(as: Double.self))
        #expect(a.inertia == b.inertia && a.nIter == b.nIter)
    }

    @Test(arguments: [KMeans.Initialization.kMeansPlusPlus, .random])
    func elkanMatchesLloyd(_ initialization: KMeans.Initialization) throws {
        let lloyd = try KMeans(nClusters: 6, initialization: initialization, tol: 0, algorithm: .lloyd, seed: 4).fit(noisy)
        let elkan = try KMeans(nClusters: 6, initialization: initialization, tol: 0, algorithm: .elkan, seed: 4).fit(noisy)
        #expect(lloyd.labels.toArray(as: Int64.self) == elkan.labels.toArray(as: Int64.self))
        #expect(lloyd.nIter == elkan.nIter)
        #expect(abs(lloyd.inertia - elkan.inertia) <= 1e-9 * lloyd.inertia)
    }

    @Test func moreInitialisationsNeverRaiseTheInertia() throws {
        let one = try KMeans(nClusters: 7, initialization: .random, nInit: 1, seed: 2).fit(noisy)
        let many = try KMeans(nClusters: 7, initialization: .random, nInit: 8, seed: 2).fit(noisy)
        #expect(many.inertia <= one.inertia)
    }

    @Test func autoInitialisationCountIsScikitLearns() {
        #expect(KMeans(nClusters: 3).resolvedNInit == 1)
        #expect(KMeans(nClusters: 3, initialization: .random).resolvedNInit == 10)
        #expect(KMeans(nClusters: 3, initialization: .random, nInit: 4).resolvedNInit == 4)
    }

    @Test func predictAndTransformAgreeWithTheFit() throws {
        let model = try KMeans(nClusters: 3, seed: 5).fit(noisy)
        #expect(try model.predict(noisy).toArray(as: Int64.self) == model.labels.toArray(as: Int64.self))
        let distances = try model.transform(noisy)
        #expect(distances.shape == [200, 3])
        let d = distances.toArray(as: Double.self)
        let nearest = (0..<200).map { i in (0..<3).map { d[i * 3 + $0] }.min()! }
        #expect(abs(nearest.reduce(0) { $0 + $1 * $1 } - model.inertia) <= 1e-9 * model.inertia)
        #expect(abs(try model.score(noisy) + model.inertia) <= 1e-9 * model.inertia)
    }

    @Test func float32DataGivesFloat32Centres() throws {
        let model = try KMeans(nClusters: 4, seed: 1).fit(data.x.to(.float32))
        #expect(model.centers.dtype == .float32)
        #expect(samePartition(model.labels.toArray(as: Int64.self).map { Int($0) }, data.labels))
    }

    /// Lloyd's passes run in the data's dtype: float32 data from the same starting centres takes the same
    /// path as float64 (labels and iterations), with the inertia within float32 rounding.
    @Test func float32LloydFollowsTheFloat64Path() throws {
        let start = noisy.narrow(0, start: 0, length: 6)
        let wide = try KMeans(nClusters: 6, initialization: .centers(start), tol: 0, seed: 0).fit(noisy)
        let narrow = try KMeans(nClusters: 6, initialization: .centers(start.to(.float32)), tol: 0, seed: 0)
            .fit(noisy.to(.float32))
        #expect(narrow.labels.toArray(as: Int64.self) == wide.labels.toArray(as: Int64.self))
        #expect(narrow.nIter == wide.nIter)
        #expect(abs(narrow.inertia - wide.inertia) <= 1e-5 * wide.inertia)
    }

    @Test func badInputIsANamedError() {
        #expect(throws: UnsupervisedError.tooManyComponents(algorithm: "kmeans", requested: 5, limit: 4,
                                                            reason: "nClusters must not exceed the number of samples")) {
            try KMeans(nClusters: 5).fit(Tensor.zeros([4, 2], dtype: .float64))
        }
        #expect(throws: UnsupervisedError.nonFinite(algorithm: "kmeans", row: 1, column: 0)) {
            try KMeans(nClusters: 1).fit(Tensor([0, 1, Double.nan, 2], shape: [2, 2]))
        }
        #expect(throws: UnsupervisedError.emptyData(algorithm: "kmeans", shape: [0, 3])) {
            try KMeans(nClusters: 1).fit(Tensor.zeros([0, 3]))
        }
        #expect(throws: UnsupervisedError.self) {
            try KMeans(nClusters: 2, initialization: .centers(Tensor.zeros([3, 2]))).fit(Tensor.zeros([4, 2]))
        }
        #expect(throws: UnsupervisedError.self) { try KMeans(nClusters: 2, maxIter: 0).fit(Tensor.zeros([4, 2])) }
    }

    @Test func constantDataStillClusters() throws {
        // Every point equal: k-means++ picks them all, inertia is 0, no crash.
        let model = try KMeans(nClusters: 2, seed: 0).fit(Tensor.ones([5, 3], dtype: .float64))
        #expect(model.inertia == 0)
    }
}

@Suite struct MiniBatchKMeansTests {
    let data = blobs([[0, 0], [8, 0], [0, 8], [8, 8], [4, 4]], perCluster: 200, spread: 0.8, seed: 31)

    @Test func findsTheBlobsCloseToFullKMeans() throws {
        let mini = try MiniBatchKMeans(nClusters: 5, batchSize: 64, seed: 3).fit(data.x)
        let full = try KMeans(nClusters: 5, seed: 3).fit(data.x)
        #expect(samePartition(mini.labels.toArray(as: Int64.self).map { Int($0) }, data.labels))
        #expect(mini.inertia <= full.inertia * 1.02)
        #expect(try mini.predict(data.x).toArray(as: Int64.self) == mini.labels.toArray(as: Int64.self))
    }

    @Test func isReproducibleAndRefusesBadInput() throws {
        let a = try MiniBatchKMeans(nClusters: 5, batchSize: 50, seed: 8).fit(data.x)
        let b = try MiniBatchKMeans(nClusters: 5, batchSize: 50, seed: 8).fit(data.x)
        #expect(a.centers.toArray(as: Double.self) == b.centers.toArray(as: Double.self))
        #expect(throws: UnsupervisedError.self) { try MiniBatchKMeans(nClusters: 5, batchSize: 0).fit(data.x) }
        #expect(throws: UnsupervisedError.self) { try MiniBatchKMeans(nClusters: 2000).fit(data.x) }
    }
}
