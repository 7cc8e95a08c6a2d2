import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// The model kinds beyond the first five: `resnet`, the `lstm` and `transformer` text encoders, `ncf`
/// recommenders and the `autoencoder`, each trained through the CLI on small generated or bundled data and
/// then used by `evaluate` / `predict`.
@Suite(.serialized) struct ModelKindTests {
    @Test func resnetKindOnIDXImages() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeHalvesIDX(96, prefix: "train", seed: 0, in: dir)
        try writeHalvesIDX(32, prefix: "t10k", seed: 1, in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: ., validation_split: 0.25}
            model: {kind: resnet, channels: [4, 8], layers: 1}
            training: {epochs: 6, batch_size: 16, optimizer: {lr: 0.01}, progress: silent}
            output: \(run.path)
            """, to: "resnet.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(try #require(metrics["test_accuracy"]) > 0.9)
        let info = trainkit(["info", run.path])
        #expect(info.output.contains("resnet"), "\(info.output)")
        let evaluated = trainkit(["evaluate", run.path, "--data", dir.path, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let again = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(again["accuracy"] == metrics["test_accuracy"])
    }

    /// Labels that depend on word order only: "not good" vs "good not" cannot be told apart by a bag of words.
    func orderedTexts(in dir: URL) throws -> String {
        var lines: [String] = []
        let words = ["movie", "plot", "cast", "music", "ending", "story"]
        for i in 0..<240 {
            let w = words[(i / 2) % words.count], v = words[(i / 12) % words.count]
            lines.append(i % 2 == 0 ? "neg\t\(w) was not good \(v)" : "pos\t\(w) good was not \(v)")
        }
        return try write(lines.joined(separator: "\n"), to: "reviews.txt", in: dir)
    }

    @Test(arguments: ["lstm", "transformer"])
    func textEncodersLearnWordOrder(encoder: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try orderedTexts(in: dir)
        func train(_ encoder: String) throws -> Double {
            let run = dir.appendingPathComponent("run-\(encoder)")
            let layers = encoder == "bag" ? "" : ", layers: 1"
            let config = try write("""
                data: {train: reviews.txt, tokenizer: {max_length: 8}}
                model: {kind: text, encoder: \(encoder), embedding_dim: 16, heads: 2, hidden: [16]\(layers)}
                training: {epochs: 12, batch_size: 16, optimizer: {lr: 0.01}, progress: silent}
                output: \(run.path)
                """, to: "\(encoder).yaml", in: dir)
            let result = trainkit(["train", config, "--json"])
            #expect(result.status == 0, "\(result.diagnostics)")
            let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
            return try #require(metrics["test_accuracy"])
        }
        let ordered = try train(encoder), bag = try train("bag")
        #expect(ordered > 0.95, "\(encoder) \(ordered)")
        #expect(bag < 0.75, "a bag of words cannot see word order: \(bag)")
        let predicted = trainkit(["predict", dir.appendingPathComponent("run-\(encoder)").path,
                                  "--data", dir.appendingPathComponent("reviews.txt").path])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        #expect(predicted.output.split(separator: "\n").count == 241)
    }

    @Test func ncfRecommenderBeatsTheBiasBaseline() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["user,item,stars"]
        for u in 0..<40 {
            for i in 0..<24 where (u * 7 + i * 3) % 4 != 0 {
                let taste = (u % 3 == i % 3) ? 1.2 : -0.6   // an interaction the biases cannot express
                rows.append("u\(u),i\(i),\(3 + taste + Double(u % 4) * 0.2)")
            }
        }
        try write(rows.joined(separator: "\n"), to: "ratings.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: ratings.csv, user: user, item: item, rating: stars}
            model: {kind: recommender, architecture: ncf, embedding_dim: 8, hidden: [16]}
            training: {epochs: 40, batch_size: 32, optimizer: {lr: 0.01}, progress: silent}
            output: \(run.path)
            """, to: "ncf.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        let rmse = try #require(metrics["test_rmse"]), baseline = try #require(metrics["test_baseline_rmse"])
        #expect(rmse < 0.8 * baseline, "NCF \(rmse) vs bias baseline \(baseline)")
        let info = trainkit(["info", run.path])
        #expect(info.output.contains("NeuralCollaborativeFiltering") && info.output.contains("mlp.0.weight"), "\(info.output)")
    }

    @Test func autoencoderOnTheBundledWineTable() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: \(bundledWine), target: quality}
            model: {kind: autoencoder, hidden: [16], latent_dim: 4}
            training: {epochs: 30, batch_size: 32, optimizer: {lr: 0.003}, progress: silent}
            output: \(run.path)
            """, to: "ae.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        // Standardized features: predicting the mean gives an RMSE near 1 per feature; 4 codes for 11 correlated
        // features must do much better.
        let rmse = try #require(metrics["test_rmse"])
        #expect(rmse < 0.6, "reconstruction RMSE \(rmse)")
        #expect(metrics["test_accuracy"] == nil)
        let evaluated = trainkit(["evaluate", run.path, "--data", bundledWine, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let predicted = trainkit(["predict", run.path, "--data", bundledWine, "--format", "jsonl"])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let lines = predicted.output.split(separator: "\n")
        #expect(lines.count == 1599)
        let first = try jsonObject(String(lines[0]))
        #expect((first["code"] as? [Double])?.count == 4)
        #expect((first["reconstruction_error"] as? Double).map { $0 >= 0 } == true)
    }

    @Test func autoencoderWithoutATargetOnIDXImages() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeHalvesIDX(64, prefix: "train", seed: 0, in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: ., test_split: 0.25}
            model: {kind: autoencoder, hidden: [16], latent_dim: 2}
            training: {epochs: 20, batch_size: 16, optimizer: {lr: 0.01}, progress: silent}
            output: \(run.path)
            """, to: "ae.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let predicted = trainkit(["predict", run.path, "--data", dir.path])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let rows = predicted.output.split(separator: "\n")
        #expect(rows.first == "row,reconstruction_error,code_0,code_1")
        #expect(rows.count == 65)
    }

    @Test(arguments: [
        ("model: {kind: mlp, encoder: lstm}", "model.encoder: is read by model kind 'text', not 'mlp'"),
        ("model: {kind: text, encoder: gru}", "model.encoder"),
        ("model: {kind: text, encoder: transformer, embedding_dim: 10, heads: 4}", "4 heads do not divide embedding_dim 10"),
        ("model: {kind: autoencoder, latent_dim: 0}", "model.latent_dim: must be >= 1"),
        ("model: {kind: autoencoder}\ntraining: {task: classification}", "an autoencoder learns to reconstruct"),
        ("model: {kind: recommender, architecture: deep}", "model.architecture"),
    ])
    func architectureKeysAreChecked(model: String, message: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write("data: {train: \(bundledWine), target: quality}\n\(model)\n", to: "bad.yaml", in: dir)
        let result = trainkit(["train", config])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains(message), "\(result.diagnostics)")
    }
}
