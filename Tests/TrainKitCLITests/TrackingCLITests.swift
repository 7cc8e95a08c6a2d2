import Foundation
import Testing
@testable import TrainKitCLICore

/// `training.tensorboard` and `tracking.mlflow` through `trainkit train` and `tune` (docs/interop.md). A live
/// MLflow server and TensorBoard's reader are exercised by scripts/check-mlflow and scripts/check-tensorboard.
@Suite(.serialized) struct TrackingCLITests {
    /// Nothing listens on port 1 of loopback: the run trains every epoch, writes its directory and its event file,
    /// and says so in exactly one warning.
    @Test func anUnreachableMLflowServerWarnsOnceAndTheRunCompletes() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 3, output: output,
                                          extra: "tracking: {mlflow: \"http://127.0.0.1:1\", experiment: wine}"),
                               to: "wine.yaml", in: directory)
        let result = trainkit(["train", config, "--set", "training.tensorboard=true"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let warnings = result.diagnostics.split(separator: "\n").filter { $0.contains("warning:") }
        #expect(warnings.count == 1, "\(result.diagnostics)")
        #expect(warnings.first?.contains("MLflow") == true && warnings.first?.contains("127.0.0.1:1") == true)
        let lines = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 3)
        let events = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("tensorboard").path)
        #expect(events.count == 1 && events[0].hasPrefix("events.out.tfevents."))
        let saved = try String(contentsOf: output.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(saved.contains("mlflow: http://127.0.0.1:1") && saved.contains("tensorboard: true"))
    }

    /// A study and its trials share the warning: one line for the whole tune, and every trial still runs.
    @Test func tuneWithAnUnreachableServerWarnsOnce() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("tune")
        let text = wineConfig(epochs: 1, output: output, extra: "tracking: {mlflow: \"http://127.0.0.1:1\"}")
            .replacingOccurrences(of: "lr: 0.003", with: "lr: {tune: loguniform, low: 0.001, high: 0.01}")
        let config = try write(text, to: "tune.yaml", in: directory)
        let result = trainkit(["tune", config, "--trials", "2", "--sampler", "random", "--set", "training.tensorboard=true"])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect(result.diagnostics.split(separator: "\n").filter { $0.contains("warning:") }.count == 1, "\(result.diagnostics)")
        let tensorboard = output.appendingPathComponent("tensorboard")
        let names = try FileManager.default.contentsOfDirectory(atPath: tensorboard.path).sorted()
        #expect(names.filter { $0.hasPrefix("trial-") } == ["trial-0", "trial-1"])
        #expect(names.contains { $0.hasPrefix("events.out.tfevents.") })  // the hparams experiment
    }

    /// A linear fit records its one epoch (metrics.jsonl and the event file); `cv` writes one run per fold in a
    /// folder of its own, and a second `cv` another folder.
    @Test func linearFitsAndCrossValidationFoldsWriteEventFiles() throws {
        let directory = try temporaryDirectory()
        let linear = directory.appendingPathComponent("linear")
        let config = try write(wineConfig(epochs: 2, output: linear).replacingOccurrences(of: "kind: mlp", with: "kind: linear")
                                   .replacingOccurrences(of: "  hidden: [32]\n", with: ""), to: "linear.yaml", in: directory)
        let result = trainkit(["train", config, "--set", "training.tensorboard=true"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let lines = try String(contentsOf: linear.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("\"val_loss\""), "\(lines)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: linear.appendingPathComponent("tensorboard").path).count == 1)

        let cvOutput = directory.appendingPathComponent("cv")
        let cvConfig = try write(wineConfig(epochs: 2, output: cvOutput), to: "cv.yaml", in: directory)
        for _ in 0..<2 {
            let cv = trainkit(["cv", cvConfig, "--folds", "2", "--set", "training.tensorboard=true"])
            #expect(cv.status == 0, "\(cv.diagnostics)")
            Thread.sleep(forTimeInterval: 1.1)  // the folder is named to the second
        }
        let root = cvOutput.appendingPathComponent("tensorboard")
        let runs = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(runs.count == 2 && runs.allSatisfy { $0.hasPrefix("cv-") }, "\(runs)")
        for run in runs {
            let folds = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(run).path).sorted()
            #expect(folds == ["fold-1", "fold-2"])
            for fold in folds {
                let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("\(run)/\(fold)").path)
                #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."))
            }
        }
    }

    /// A second train in the same directory moves the first run's event files aside with the rest of it.
    @Test func eventFilesAreTheRunsOwnFiles() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 1, output: output), to: "wine.yaml", in: directory)
        for _ in 0..<2 {
            let result = trainkit(["train", config, "--set", "training.tensorboard=true"])
            #expect(result.status == 0, "\(result.diagnostics)")
        }
        let events = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("tensorboard").path)
        #expect(events.count == 1)
    }

    @Test func badTrackingKeysAreConfigErrors() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("run")
        let cases: [(extra: String, sets: [String], names: String)] = [
            ("tracking: {mlflow: \"localhost:5000\"}", [], "tracking.mlflow"),
            ("tracking: {mlflow: \"http://127.0.0.1:5000\", experiment: \" \"}", [], "tracking.experiment"),
            ("tracking: {mlfow: \"http://127.0.0.1:5000\"}", [], "mlflow"),
            ("", ["--set", "training.tensorboard_histograms=true"], "training.tensorboard_histograms"),
        ]
        for (extra, sets, names) in cases {
            let config = try write(wineConfig(epochs: 1, output: output, extra: extra), to: "bad.yaml", in: directory)
            let result = trainkit(["train", config] + sets)
            #expect(result.status == 2, "\(extra) \(sets): \(result.diagnostics)")
            #expect(result.diagnostics.contains(names), "\(result.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// The params are config.yaml's leaves under dotted keys; lists keep their strings quoted.
    @Test func paramsFlattenTheResolvedConfig() throws {
        let directory = try temporaryDirectory()
        let config = try RunConfig.load(
            file: try write(wineConfig(output: directory.appendingPathComponent("run")), to: "wine.yaml", in: directory))
        let params = ConfigParams.flatten(config)
        #expect(params["training.optimizer.lr"] == "0.003")
        #expect(params["model.hidden"] == "[32]")
        #expect(params["data.missing_values"] == "[\"\", \"?\", \"NA\"]")
        #expect(params["data.train"] == bundledWine)
        #expect(params["tracking.mlflow"] == nil && params["tracking.experiment"] == "Default")
        #expect(params["training.tensorboard"] == "false")
    }
}
