import Foundation
import CTrainKitKernels
import TrainKit

/// `trainkit-bench fit`: the unsupervised workloads of `shared/bench/peers-wave2/unsup.py`, each one timed
/// fit on MNIST train (60,000 × 784 float32 in [0, 1]), one JSON line per fit with the same keys as the
/// scikit-learn script (`part`, `seed`, `wall_s`, and the quality numbers), so the two compare line by line.
///
///     trainkit-bench fit --part kmeans|pca|gmm --data DIR [--seeds 0,1,2] [--threads N]
///
/// - `kmeans`: `KMeans(nClusters: 10, nInit: 1, algorithm: .lloyd)`, k-means++ → inertia, n_iter, ARI, NMI.
/// - `pca`: `PCA(nComponents: 50)` with the full and the randomized solver, 3 fits each → explained variance ratio.
/// - `gmm`: `GaussianMixture(nComponents: 10, covarianceType: .full)` on the PCA-50 projection (float64),
///   defaults otherwise → n_iter, converged, lower bound (mean log-likelihood), train/test scores, ARI, NMI.
///
/// The wall time covers `fit` only, not reading the data or the projection.
enum UnsupervisedFits {
    struct Options {
        var part = ""
        var data = ""
        var seeds: [UInt64] = [0, 1, 2]
        var threads = 2
    }

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let v = rest.popFirst() else { fail("\(flag) needs a value") }
            return v
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--part": options.part = value(argument)
            case "--data": options.data = value(argument)
            case "--seeds": options.seeds = value(argument).split(separator: ",").compactMap { UInt64($0) }
            case "--threads":
                guard let n = Int(value(argument)), n >= 1 else { fail("--threads needs a positive whole number") }
                options.threads = n
            default: fail("unknown argument \(argument)")
            }
        }
        guard ["kmeans", "pca", "gmm"].contains(options.part) else { fail("--part must be kmeans, pca or gmm") }
        guard !options.data.isEmpty else { fail("--data DIR (the MNIST IDX files) is required") }
        return options
    }

    static func fail(_ message: String) -> Never {
        printError("trainkit-bench fit: \(message)\nusage: trainkit-bench fit --part kmeans|pca|gmm --data DIR [--seeds 0,1,2] [--threads N]")
        exit(2)
    }

    static func run(_ arguments: [String]) {
        let options = parse(arguments)
        configureThreads(options.threads)
        let mnist: (train: TensorDataset, test: TensorDataset)
        do { mnist = try IDXDataset.mnist(directory: options.data, flatten: true) } catch {
            printError("trainkit-bench fit: \(error)")
            exit(2)
        }
        let x = mnist.train.features, labels = mnist.train.labels
        do {
            switch options.part {
            case "kmeans": try kmeans(x, labels, seeds: options.seeds, threads: options.threads)
            case "pca": try pca(x, threads: options.threads)
            default: try gmm(x, labels, test: mnist.test.features, seeds: options.seeds, threads: options.threads)
            }
        } catch {
            printError("trainkit-bench fit: \(error)")
            exit(1)
        }
    }

    /// Wall and CPU seconds (this process, all threads) of `body`. The CPU time tells a fit starved by other
    /// processes (CPU ≪ threads × wall) from a slow one.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double, Double) {
        let cpuStart = cpuSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds() - cpuStart)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func emit(_ fields: [(key: String, value: JSONValue)], threads: Int) {
        let common: [(key: String, value: JSONValue)] = [
            ("framework", .string("trainkit")), ("task", .string("unsup")),
        ]
        let tail: [(key: String, value: JSONValue)] = [
            ("threads", .int(threads)), ("version", .string(version)), ("blas", .string(String(cString: tk_blas_name()))),
            ("simd", .string(String(cString: tk_simd_level()))),
        ]
        print(jsonLine(common + fields + tail))
        fflush(nil)
    }

    static func clusterScores(_ truth: Tensor, _ predicted: Tensor) throws -> [(key: String, value: JSONValue)] {
        [("ari", .number(rounded(try ClusteringMetrics.adjustedRandIndex(truth, predicted), 4))),
         ("nmi", .number(rounded(try ClusteringMetrics.normalizedMutualInformation(truth, predicted), 4)))]
    }

    static func kmeans(_ x: Tensor, _ truth: Tensor, seeds: [UInt64], threads: Int) throws {
        for seed in seeds {
            let estimator = KMeans(nClusters: 10, initialization: .kMeansPlusPlus, nInit: 1, algorithm: .lloyd, seed: seed)
            let (model, wall, cpu) = try timed { try estimator.fit(x) }
            emit([("part", .string("kmeans")), ("seed", .int(Int(seed))), ("inertia", .number(rounded(model.inertia, 2))),
                  ("n_iter", .int(model.nIter))] + (try clusterScores(truth, model.labels))
                 + [("wall_s", .number(rounded(wall, 4))), ("cpu_s", .number(rounded(cpu, 3)))], threads: threads)
        }
    }

    static func pca(_ x: Tensor, threads: Int) throws {
        for solver in [PCA.Solver.full, .randomized] {
            for rep in 0..<3 {
                let estimator = PCA(nComponents: 50, svdSolver: solver, seed: 0)
                let (model, wall, cpu) = try timed { try estimator.fit(x) }
                emit([("part", .string("pca")), ("solver", .string(solver.rawValue)), ("rep", .int(rep)),
                      ("evr_sum", .number(rounded(model.explainedVarianceRatio.reduce(0, +), 6))),
                      ("wall_s", .number(rounded(wall, 4))), ("cpu_s", .number(rounded(cpu, 3)))], threads: threads)
            }
        }
    }

    static func gmm(_ x: Tensor, _ truth: Tensor, test: Tensor, seeds: [UInt64], threads: Int) throws {
        let projection = try PCA(nComponents: 50, svdSolver: .full).fit(x)
        let z = try projection.transform(x).to(.float64)
        let zTest = try projection.transform(test).to(.float64)
        for seed in seeds {
            let estimator = GaussianMixture(nComponents: 10, covarianceType: .full, seed: seed)
            let (model, wall, cpu) = try timed { try estimator.fit(z) }
            emit([("part", .string("gmm")), ("seed", .int(Int(seed))), ("n_iter", .int(model.nIter)),
                  ("converged", .bool(model.converged)), ("lower_bound", .number(rounded(model.lowerBound, 4))),
                  ("loglik_train", .number(rounded(try model.score(z), 4))),
                  ("loglik_test", .number(rounded(try model.score(zTest), 4)))]
                 + (try clusterScores(truth, try model.predict(z)))
                 + [("wall_s", .number(rounded(wall, 4))), ("cpu_s", .number(rounded(cpu, 3)))], threads: threads)
        }
    }
}
