import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// `train` → `evaluate` → `predict` → `info` on the bundled wine data and on small generated data for every
/// model kind. Serialized: training seeds the process-wide random stream.
@Suite(.serialized) struct RoundTripTests {
    @Test func classificationRoundTripOnBundledData() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 8, output: run), to: "wine.yaml", in: dir)
        let trained = trainkit(["train", config, "--json"])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        let summary = try jsonObject(trained.output)
        #expect(summary["run_dir"] as? String == run.path)
        let metrics = try #require(summary["metrics"] as? [String: Double])
        for key in ["test_accuracy", "test_f1_macro", "test_loss", "val_loss", "val_accuracy", "train_loss"] {
            #expect(metrics[key] != nil, "missing \(key)")
        }
        // Majority class ("5") is 42.6% of the data; a trained MLP does clearly better.
        #expect(try #require(metrics["test_accuracy"]) > 0.5)

        for file in ["config.yaml", "metrics.jsonl", "metrics.csv", "metrics.json", "report.md", "model/model.json",
                     "model/weights.safetensors", "checkpoints/latest"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "missing \(file)")
        }
        let epochs = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").count
        #expect(epochs == 8)

        let evaluated = trainkit(["evaluate", run.path, "--data", bundledWine, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let evaluation = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        let accuracy = try #require(evaluation["accuracy"])
        #expect(accuracy > 0.5)

        // predict's rows agree with evaluate's accuracy.
        let predictions = dir.appendingPathComponent("predictions.csv")
        let predicted = trainkit(["predict", run.path, "--data", bundledWine, "--output", predictions.path])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let rows = try String(contentsOf: predictions, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
        #expect(rows[0].prefix(3) == ["row", "prediction", "target"])
        #expect(rows.count == 1600)
        let correct = rows.dropFirst().filter { $0[1] == $0[2] }.count
        #expect(abs(Double(correct) / 1599 - accuracy) < 1e-9)

        let jsonl = trainkit(["predict", run.appendingPathComponent("model/model.json").path, "--data", bundledWine,
                              "--format", "jsonl"])
        #expect(jsonl.status == 0)
        let first = try jsonObject(String(jsonl.output.split(separator: "\n")[0]))
        #expect(first["prediction"] is String)
        #expect((first["probabilities"] as? [String: Double])?.count == 6)

        let info = trainkit(["info", run.path])
        #expect(info.status == 0)
        #expect(info.output.contains("kind: mlp (classification)"))
        #expect(info.output.contains("parameters: "))
        #expect(info.output.contains("alcohol: numeric, standardized"))
    }

    @Test func regressionRoundTripAndOverride() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(task: "regression", epochs: 2, output: run), to: "wine.yaml", in: dir)
        let trained = trainkit(["train", config, "--set", "training.epochs=6", "--set", "model.hidden=[16, 8]", "--json"])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        let summary = try jsonObject(trained.output)
        #expect(summary["epochs"] as? Int == 6)
        let metrics = try #require(summary["metrics"] as? [String: Double])
        for key in ["test_rmse", "test_mae", "test_r2", "test_loss", "val_loss"] { #expect(metrics[key] != nil, "missing \(key)") }
        #expect(try #require(metrics["test_rmse"]) < 0.8)  // quality's standard deviation is 0.81
        let resolved = try RunConfig.decode(try ConfigNode.load(file: run.appendingPathComponent("config.yaml").path),
                                            baseDirectory: "/")
        #expect(resolved.training.epochs == 6)
        #expect(resolved.model.hidden == [16, 8])
        let evaluated = trainkit(["evaluate", run.path, "--data", bundledWine, "--json"])
        let evaluation = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(try #require(evaluation["rmse"]) < 0.8)
        let info = trainkit(["info", run.appendingPathComponent("model/weights.safetensors").path])
        #expect(info.output.contains("TargetScale"))
    }

    @Test func nonFiniteLossExitsWithOne() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(wineConfig(task: "regression", epochs: 2, output: dir.appendingPathComponent("run")),
                               to: "wine.yaml", in: dir)
        let result = trainkit(["train", config, "--set", "training.optimizer={name: sgd, lr: 1.0e30}",
                               "--set", "training.target_scaling=none"])
        #expect(result.status == 1, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("non-finite"))
    }

    /// A run whose later checkpoints are removed (as if killed) resumes to the same final weights, bit for bit.
    @Test func resumeEndsWithTheUninterruptedWeights() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runA = dir.appendingPathComponent("a")
        let extra = "  checkpoint: {every_steps: 11, keep: 100}\n  schedule: {name: cosine}"
        let text = wineConfig(epochs: 4, output: runA).replacingOccurrences(of: "  progress: silent", with: "  progress: silent\n" + extra)
        let config = try write(text, to: "wine.yaml", in: dir)
        #expect(trainkit(["train", config]).status == 0)
        let runB = dir.appendingPathComponent("b")
        try FileManager.default.copyItem(at: runA, to: runB)
        let checkpoints = runB.appendingPathComponent("checkpoints")
        let steps = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).filter { $0.hasPrefix("step-") }.sorted()
        #expect(steps.count > 4)
        let keep = steps[steps.count / 2]  // mid-run, mid-epoch
        for later in steps where later > keep { try FileManager.default.removeItem(at: checkpoints.appendingPathComponent(later)) }
        try keep.write(to: checkpoints.appendingPathComponent("latest"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: runB.appendingPathComponent("model"))
        let resumed = trainkit(["train", config, "--resume", runB.path, "--json"])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        let a = try Data(contentsOf: runA.appendingPathComponent("model/weights.safetensors"))
        let b = try Data(contentsOf: runB.appendingPathComponent("model/weights.safetensors"))
        #expect(a == b)
        let logA = try String(contentsOf: runA.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let logB = try String(contentsOf: runB.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(logA == logB)
        #expect(trainkit(["train", config, "--resume", dir.appendingPathComponent("none").path]).status == 2)
    }

    @Test func tabularKindWithCategoriesAndMissingValues() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["age,city,score,label"]
        for i in 0..<240 {
            let city = ["paris", "rome", "oslo"][i % 3]
            let age = i % 7 == 0 ? "?" : String(20 + i % 50)
            let score = Double(i % 10) / 10
            let label = (city == "oslo" || score > 0.75) ? "yes" : "no"
            rows.append("\(age),\(city),\(score),\(label)")
        }
        let csv = try write(rows.joined(separator: "\n") + "\n", to: "people.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        for kind in ["tabular", "mlp"] {
            let config = try write("""
                data: {train: people.csv, target: label, test_split: 0.25}
                model: {kind: \(kind), hidden: [16], embedding_dim: 4}
                training: {epochs: 30, batch_size: 16, optimizer: {lr: 0.01}, progress: silent}
                output: \(run.path)
                """, to: "\(kind).yaml", in: dir)
            let result = trainkit(["train", config, "--json"])
            #expect(result.status == 0, "\(kind): \(result.diagnostics)")
            let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
            #expect(try #require(metrics["test_accuracy"]) > 0.85, "\(kind)")
            let predicted = trainkit(["predict", run.path, "--data", csv])
            #expect(predicted.output.split(separator: "\n").count == 241)
        }
        let info = trainkit(["info", run.path])
        #expect(info.output.contains("city: string, one-hot over 3 categories"))
    }

    @Test func textKindOnLabelledLines() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines: [String] = []
        let spam = ["win a free prize now", "free entry claim cash", "urgent call to claim your prize"]
        let ham = ["see you at lunch", "are we still on for tonight", "thanks for the notes"]
        for i in 0..<120 { lines.append(i % 2 == 0 ? "spam\t\(spam[i % 3]) \(i)" : "ham\t\(ham[i % 3]) \(i)") }
        try write(lines.joined(separator: "\n"), to: "sms.txt", in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: sms.txt, tokenizer: {ngrams: 2, max_length: 16}}
            model: {kind: text, embedding_dim: 8, hidden: [8]}
            training: {epochs: 15, batch_size: 8, optimizer: {lr: 0.02}, progress: silent}
            output: \(run.path)
            """, to: "text.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(try #require(metrics["test_accuracy"]) > 0.9)
        let unlabelled = try write("claim your free prize\nlunch tonight?\n", to: "new.txt", in: dir)
        let predicted = trainkit(["predict", run.path, "--data", unlabelled])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let rows = predicted.output.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[1].hasPrefix("1,spam,"))
        #expect(rows[2].hasPrefix("2,ham,"))
    }

    @Test func recommenderKindReportsTheBiasBaseline() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["user,item,stars"]
        for u in 0..<30 {
            for i in 0..<20 where (u * 7 + i * 3) % 4 != 0 {
                let taste = (u % 2 == i % 2) ? 1.5 : -1.5
                rows.append("u\(u),i\(i),\(3 + taste + Double(u % 3) * 0.2)")
            }
        }
        try write(rows.joined(separator: "\n"), to: "ratings.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: ratings.csv, user: user, item: item, rating: stars}
            model: {kind: recommender, embedding_dim: 4}
            training: {epochs: 40, batch_size: 32, optimizer: {lr: 0.02}, progress: silent}
            output: \(run.path)
            """, to: "rec.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        let rmse = try #require(metrics["test_rmse"]), baseline = try #require(metrics["test_baseline_rmse"])
        #expect(rmse < baseline, "MF \(rmse) vs bias baseline \(baseline)")
        let predicted = trainkit(["predict", run.path, "--data", dir.appendingPathComponent("ratings.csv").path])
        #expect(predicted.output.contains("u0 i1,"))
    }

    @Test func cnnKindOnIDXImages() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeHalvesIDX(64, prefix: "train", seed: 0, in: dir)
        try writeHalvesIDX(16, prefix: "t10k", seed: 1, in: dir)
        let run = dir.appendingPathComponent("run")
        let config = try write("""
            data: {train: ., validation_split: 0.25}
            model: {kind: cnn, channels: [4], hidden: [8]}
            training: {epochs: 5, batch_size: 16, optimizer: {lr: 0.01}, progress: silent}
            output: \(run.path)
            """, to: "cnn.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(try #require(metrics["test_accuracy"]) > 0.9)
        let evaluated = trainkit(["evaluate", run.path, "--data", dir.path, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
    }
}
