import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// Three well-separated blobs in 3 features, 40 rows each, with their blob as column `blob`.
func blobsCSV(rows perBlob: Int = 40, seed: UInt64 = 1) -> String {
    var generator = SplitMix(seed: seed)
    let centres: [[Double]] = [[0, 0, 0], [10, 10, 0], [-10, 10, 10]]
    var lines = ["x,y,z,blob"]
    for i in 0..<(3 * perBlob) {
        let c = centres[i % 3]
        let point = c.map { $0 + generator.normal() * 0.5 }
        lines.append(point.map { String(format: "%.4f", $0) }.joined(separator: ",") + ",b\(i % 3)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A small seeded generator for the test data (Box–Muller normals).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
}

/// `trainkit train` / `predict` / `cv` / `tune` with `kmeans`, `pca` and `gmm` (issue 16, items 4 and 6).
@Suite(.serialized) struct UnsupervisedCLITests {
    func config(_ model: String, data: String, output: URL, extra: String = "") -> String {
        """
        seed: 0
        data: {train: \(data), target: blob, test_split: 0.25, validation_split: 0.2}
        model: \(model)
        output: \(output.path)
        \(extra)
        """
    }

    @Test func kmeansFindsTheBlobsAndPredictsTheirClusters() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(blobsCSV(), to: "blobs.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let file = try write(config("{kind: kmeans, n_clusters: 3, n_init: 4, algorithm: elkan}", data: data, output: run),
                             to: "kmeans.yaml", in: dir)
        let result = trainkit(["train", file, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        #expect(object["task"] as? String == "clustering")
        let metrics = try #require(object["metrics"] as? [String: Double])
        for part in ["train", "val", "test"] {
            #expect(try #require(metrics["\(part)_adjusted_rand"]) > 0.99, "\(metrics)")
            #expect(try #require(metrics["\(part)_normalized_mutual_info"]) > 0.99)
            #expect(try #require(metrics["\(part)_silhouette"]) > 0.8)
            #expect(try #require(metrics["\(part)_inertia"]) > 0)
        }
        #expect(metrics["train_bic"] == nil && metrics["train_explained_variance_ratio"] == nil)
        // The saved model gives the same clusters: the blob of each row maps to one cluster, three in all.
        let predicted = trainkit(["predict", run.path, "--data", data])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let lines = predicted.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "row,cluster,distance_0,distance_1,distance_2")
        #expect(lines.count == 121)
        var clusterOfBlob: [Int: Set<String>] = [:]
        for (i, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",")
            clusterOfBlob[i % 3, default: []].insert(String(fields[1]))
            let distances = fields.dropFirst(2).compactMap { Double($0) }
            #expect(distances.count == 3)
            #expect(distances.min() == distances[Int(fields[1])!], "row \(i + 1): the cluster is the nearest centre")
        }
        #expect(clusterOfBlob.values.allSatisfy { $0.count == 1 })
        #expect(Set(clusterOfBlob.values.map { $0.first! }).count == 3)
        // evaluate scores a labelled file with the same metrics (no prefix).
        let evaluated = trainkit(["evaluate", run.path, "--data", data, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let scores = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(try #require(scores["adjusted_rand"]) > 0.99, "\(scores)")
        let trainInertia = try #require(metrics["train_inertia"])
        #expect(try #require(scores["inertia"]) > trainInertia, "all 120 rows against the 72 training rows")
    }

    /// The images have a blank top row (constant pixels, as MNIST's border): allowed for images.
    @Test func kmeansOnIDXImagesIsScoredAgainstTheLabels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeHalvesIDX(96, prefix: "train", seed: 0, blankTopRow: true, in: dir)
        try writeHalvesIDX(32, prefix: "t10k", seed: 1, blankTopRow: true, in: dir)
        let file = try write("""
            data: {train: ., validation_split: 0.25}
            model: {kind: kmeans, n_clusters: 2, n_init: 3}
            output: \(dir.appendingPathComponent("run").path)
            """, to: "kmeans.yaml", in: dir)
        let result = trainkit(["train", file, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(try #require(metrics["test_adjusted_rand"]) > 0.9, "left-half and right-half images are two clusters: \(metrics)")
    }

    @Test func autoencoderReportsExplainedVarianceLikePCA() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(blobsCSV(), to: "blobs.csv", in: dir)
        let file = try write(config("{kind: autoencoder, hidden: [8], latent_dim: 2}", data: data, output: dir.appendingPathComponent("run"),
                                    extra: "training: {epochs: 60, batch_size: 8, optimizer: {lr: 0.01}, progress: silent}"),
                             to: "ae.yaml", in: dir)
        let result = trainkit(["train", file, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        let kept = try #require(metrics["test_explained_variance_ratio"], "\(metrics)")
        // 1 - MSE / variance per standardized feature: consistent with the reported rmse on the same part.
        let rmse = try #require(metrics["test_rmse"])
        #expect(kept < 1 && kept > 0.5, "\(metrics)")
        #expect(rmse * rmse < 1.5 * (1 - kept) && rmse * rmse > 0.5 * (1 - kept), "rmse \(rmse), explained \(kept)")
    }

    @Test func pcaReportsExplainedVarianceAndPredictsComponents() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(blobsCSV(), to: "blobs.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let two = trainkit(["train", try write(config("{kind: pca, n_components: 2}", data: data, output: run),
                                               to: "pca.yaml", in: dir), "--json"])
        #expect(two.status == 0, "\(two.diagnostics)")
        let twoMetrics = try #require(try jsonObject(two.output)["metrics"] as? [String: Double])
        let all = trainkit(["train", try write(config("{kind: pca, svd_solver: full}", data: data, output: dir.appendingPathComponent("all")),
                                               to: "all.yaml", in: dir), "--json"])
        let allMetrics = try #require(try jsonObject(all.output)["metrics"] as? [String: Double])
        // Three blobs span a plane: two components keep almost all of it, on the held-out parts too; all three keep all.
        for part in ["train", "val", "test"] {
            let kept = try #require(twoMetrics["\(part)_explained_variance_ratio"])
            #expect(kept > 0.97 && kept < 1, "\(twoMetrics)")
            #expect(abs(try #require(allMetrics["\(part)_explained_variance_ratio"]) - 1) < 1e-6)
        }
        #expect(twoMetrics["train_silhouette"] == nil)
        let predicted = trainkit(["predict", run.path, "--data", data, "--format", "jsonl"])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let first = try jsonObject(String(predicted.output.split(separator: "\n")[0]))
        #expect((first["components"] as? [Double])?.count == 2)
        #expect(first["cluster"] == nil)
        let info = trainkit(["info", run.path])
        #expect(info.output.contains("kind: pca (decomposition)") && info.output.contains("pca: 2 components"), "\(info.output)")
    }

    @Test func gmmReportsLikelihoodAndBICAndPredictsProbabilities() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(blobsCSV(), to: "blobs.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let file = try write(config("{kind: gmm, n_components: 3, covariance_type: diag, init: k-means++, n_init: 2}",
                                    data: data, output: run), to: "gmm.yaml", in: dir)
        let result = trainkit(["train", file, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        // 72 training rows (120 less a quarter for test, less a fifth of the rest for validation)
        let n = 72.0
        let parameters = 3.0 * 3 + 3 * 3 + 2  // means, diagonal variances, weights less one
        let bic = try #require(metrics["train_bic"]), ll = try #require(metrics["train_log_likelihood"])
        #expect(abs(bic - (-2 * n * ll + parameters * log(n))) < 1e-6 * abs(bic), "\(metrics)")
        #expect(try #require(metrics["test_adjusted_rand"]) > 0.99)
        let predicted = trainkit(["predict", run.path, "--data", data])
        let lines = predicted.output.split(separator: "\n")
        #expect(lines.first == "row,cluster,p_0,p_1,p_2")
        for line in lines.dropFirst() {
            let p = line.split(separator: ",").dropFirst(2).compactMap { Double($0) }
            #expect(abs(p.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func crossValidationAndTuneRankClusterCounts() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(blobsCSV(), to: "blobs.csv", in: dir)
        let file = try write(config("{kind: kmeans, n_clusters: 3}", data: data, output: dir.appendingPathComponent("run")),
                             to: "kmeans.yaml", in: dir)
        let cv = trainkit(["cv", file, "--folds", "3", "--json"])
        #expect(cv.status == 0, "\(cv.diagnostics)")
        #expect(cv.output.contains("\"silhouette\""), "\(cv.output)")
        let tune = trainkit(["tune", file, "--set", "model.n_clusters={tune: choice, values: [2, 3, 5]}", "--sampler", "grid",
                             "--trials", "3", "--set", "output=\(dir.appendingPathComponent("tune").path)", "--json"])
        #expect(tune.status == 0, "\(tune.diagnostics)")
        let study = try jsonObject(tune.output)
        #expect(study["metric"] as? String == "val_silhouette")
        #expect(study["direction"] as? String == "maximize")
        let best = try #require(study["best"] as? [String: Any])
        #expect((best["params"] as? [String: Any])?["model.n_clusters"] as? Int == 3, "\(best)")
        let bic = trainkit(["tune", file, "--set", "model.kind=gmm",
                            "--set", "model.n_clusters=null",
                            "--set", "model.n_components={tune: choice, values: [1, 3]}", "--sampler", "grid", "--trials", "2",
                            "--set", "output=\(dir.appendingPathComponent("tune-bic").path)", "--json"])
        #expect(bic.status == 0, "\(bic.diagnostics)")
        let bicStudy = try jsonObject(bic.output)
        #expect(bicStudy["metric"] as? String == "val_bic" && bicStudy["direction"] as? String == "minimize")
        #expect(((bicStudy["best"] as? [String: Any])?["params"] as? [String: Any])?["model.n_components"] as? Int == 3)
    }
}
