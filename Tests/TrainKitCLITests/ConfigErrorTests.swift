import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// Config mistakes end with status 2 and a message naming the key path (and line), the expected type or the
/// file; an unknown key suggests the nearest known one.
@Suite struct ConfigErrorTests {
    /// Writes the wine config with `edit` applied and runs `trainkit train` on it.
    func train(editing edit: (String) -> String, extra: [String] = []) throws -> CLIResult {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try write(edit(wineConfig(output: dir.appendingPathComponent("run"))), to: "config.yaml", in: dir)
        return trainkit(["train", path] + extra)
    }

    @Test func unknownKeySuggestsTheNearestKey() throws {
        let result = try train(editing: { $0.replacingOccurrences(of: "optimizer:", with: "optimzer:") })
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("config.yaml:14:13: "))
        #expect(result.diagnostics.contains("training.optimzer: unknown key; did you mean 'training.optimizer'?"))
    }

    @Test func keyInTheWrongSectionSuggestsWhereItBelongs() throws {
        let result = try train(editing: { $0.replacingOccurrences(of: "seed: 0", with: "seed: 0\nepochs: 3") })
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("epochs: unknown key; did you mean 'training.epochs'?"))
    }

    @Test func wrongTypeNamesThePathAndTheExpectedType() throws {
        let result = try train(editing: { $0.replacingOccurrences(of: "epochs: 3", with: "epochs: three") })
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("training.epochs: expected an integer, got the string \"three\""))
        let list = try train(editing: { $0.replacingOccurrences(of: "hidden: [32]", with: "hidden: {a: 1}") })
        #expect(list.status == 2)
        #expect(list.diagnostics.contains("model.hidden: expected a list of integers, got a mapping"))
    }

    @Test func missingDataFileNamesThePath() throws {
        let result = try train(editing: { $0.replacingOccurrences(of: "winequality-red.csv", with: "absent.csv") })
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("data.train: no such file or directory:"))
        #expect(result.diagnostics.contains("absent.csv"))
        let config = trainkit(["train", "/nonexistent/config.yaml"])
        #expect(config.status == 2)
        #expect(config.diagnostics.contains("/nonexistent/config.yaml: cannot read: no such file"))
    }

    @Test(arguments: [
        ("epochs: 3", "epochs: -1", "training.epochs: must be >= 1, got -1"),
        ("lr: 0.003", "lr: 0", "training.optimizer.lr: must be > 0, got 0.0"),
        ("lr: 0.003", "lr: -0.1", "training.optimizer.lr: must be > 0, got -0.1"),
        ("kind: mlp", "kind: perceptron", "model.kind: unknown model kind 'perceptron'"),
        ("kind: mlp", "kind: resnett", "did you mean 'resnet'?"),
        ("kind: mlp", "kind: resnet", "model kind 'resnet' reads a directory of IDX files"),
        ("validation_split: 0.1", "validation_split: 1.5", "data.validation_split: must be in [0, 1), got 1.5"),
        ("target: quality", "target: qualty", "data.target: "),
    ])
    func badValuesAreNamed(original: String, replacement: String, message: String) throws {
        let result = try train(editing: { $0.replacingOccurrences(of: original, with: replacement) })
        #expect(result.status == 2, "\(replacement): \(result.diagnostics)")
        #expect(result.diagnostics.contains(message), "\(replacement): \(result.diagnostics)")
    }

    @Test func columnTypoSuggestsTheColumn() throws {
        let result = try train(editing: { $0.replacingOccurrences(of: "target: quality", with: "target: qualty") })
        #expect(result.diagnostics.contains("has no column 'qualty'; did you mean 'quality'?"))
    }

    @Test func malformedOverrideIsAUsageError() throws {
        let result = try train(editing: { $0 }, extra: ["--set", "training.epochs"])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("expected key.path=value"))
        let unknown = try train(editing: { $0 }, extra: ["--set", "training.epoch=2"])
        #expect(unknown.status == 2)
        #expect(unknown.diagnostics.contains("training.epoch: unknown key; did you mean 'training.epochs'?"))
    }

    @Test func argumentErrorsExitWithTwoAndHelpWithZero() {
        #expect(trainkit(["train"]).status == 2)
        #expect(trainkit(["frobnicate"]).status == 2)
        let help = trainkit(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("train"))
        #expect(help.output.contains("evaluate"))
        let completion = trainkit(["--generate-completion-script", "bash"])
        #expect(completion.status == 0)
        #expect(completion.output.contains("trainkit"))
    }

    @Test func malformedDataExitsWithThree() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try write("a,b,label\n1,2,x\n3,4\n5,6,y\n", to: "bad.csv", in: dir)
        let config = wineConfig(output: dir.appendingPathComponent("run")).replacingOccurrences(of: bundledWine, with: csv)
            .replacingOccurrences(of: "target: quality", with: "target: label")
        let result = trainkit(["train", try write(config, to: "c.yaml", in: dir)])
        #expect(result.status == 3)
        #expect(result.diagnostics.contains("bad.csv:3:"))
    }

    @Test func exitStatusOfEachErrorKind() {
        #expect(ExitStatus.forError(ConfigError.usage("x")) == .usage)
        #expect(ExitStatus.forError(ConfigError.missingFile(path: "data.train", file: "f")) == .usage)
        #expect(ExitStatus.forError(DataError.malformed(file: "f", line: 1, column: 1, reason: "r")) == .dataError)
        #expect(ExitStatus.forError(DataError.missingColumn(file: "f", name: "n", available: [])) == .dataError)
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(Data([1, 2])) }
        do { _ = try SafeTensors.decode(Data([1, 2])) } catch { #expect(ExitStatus.forError(error) == .dataError) }
        #expect(ExitStatus.forError(TrainingError.nonFinite(epoch: 0, batch: 0, what: "loss", value: .nan)) == .trainingFailure)
        #expect(ExitStatus.forError(TrainingError.invalidArgument("x")) == .usage)
        #expect(ExitStatus.forError(TrainingError.labelMismatch("x")) == .usage)
        #expect(ExitStatus.forError(TrainingError.checkpoint("x")) == .trainingFailure)
        #expect(ExitStatus.forError(TrainingFailure("x")) == .trainingFailure)
        #expect(ExitStatus.forError(CocoaError(.fileWriteNoPermission)) == .trainingFailure)
    }
}

/// Pure config decoding: defaults, inference, `--set`, and the resolved tree decoding to the same config.
@Suite struct ConfigDecodingTests {
    @Test func overridesAreYAMLTyped() throws {
        var tree = try ConfigNode.parse(yaml: "model: {kind: mlp}\ntraining: {epochs: 3}", file: "t.yaml")
        try ConfigOverride.apply("training.epochs=7", to: &tree)
        try ConfigOverride.apply("model.hidden=[16, 8]", to: &tree)
        try ConfigOverride.apply("training.optimizer.lr=1e-2", to: &tree)
        try ConfigOverride.apply("data.target=quality", to: &tree)
        try ConfigOverride.apply("data.train=\(bundledWine)", to: &tree)
        let config = try RunConfig.decode(tree, baseDirectory: "/")
        #expect(config.training.epochs == 7)
        #expect(config.model.hidden == [16, 8])
        #expect(config.training.optimizer.lr == 0.01)
        #expect(config.data.target == "quality")
        #expect(config.data.format == .csv)
    }

    @Test func overrideValueOfTheWrongTypeNamesTheSource() throws {
        var tree = try ConfigNode.parse(yaml: "data: {train: \(bundledWine), target: quality}", file: "t.yaml")
        try ConfigOverride.apply("training.batch_size=big", to: &tree)
        #expect(throws: ConfigError.wrongType(path: "training.batch_size", expected: "an integer", got: "the string \"big\"",
                                              location: ConfigLocation(file: "--set training.batch_size", line: 0, column: 0))) {
            try RunConfig.decode(tree, baseDirectory: "/")
        }
    }

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let config = try RunConfig.load(file: repositoryRoot.appendingPathComponent("Examples/configs/wine.yaml").path,
                                        workingDirectory: "/tmp/work")
        #expect(config.data.train == bundledWine)
        #expect(config.output == "/tmp/work/runs/wine")
    }

    @Test func resolvedConfigDecodesToTheSameConfig() throws {
        let dir = repositoryRoot.appendingPathComponent("Examples/configs")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 4)
        for name in names {
            let path = dir.appendingPathComponent(name).path
            let tunable = try TunableConfig(file: path, overrides: [])
            // A tune config (a search space in it) is checked at one point of its space.
            let tree = try ConfigNode.load(file: path).applying(tunable.representative)
            let config = try RunConfig.decode(tree, baseDirectory: dir.path, checkFiles: false)
            let again = try RunConfig.decode(try ConfigNode.parse(yaml: try config.yamlText(), file: "resolved.yaml"),
                                             baseDirectory: "/", checkFiles: false)
            #expect(again == config, "\(name)")
        }
    }

    @Test func shorthandFormsAndInference() throws {
        let tree = try ConfigNode.parse(yaml: """
            data: {train: \(bundledWine), target: quality, format: tsv}
            model: {kind: tabular}
            training: {schedule: cosine, early_stopping: true, loss: mse, optimizer: {name: adamw, lr: 1e-3}}
            """, file: "t.yaml")
        let config = try RunConfig.decode(tree, baseDirectory: "/")
        #expect(config.training.schedule.name == "cosine")
        #expect(config.training.earlyStopping == EarlyStoppingConfig())
        #expect(config.training.task == .regression)
        #expect(config.training.optimizer.lr == 0.001)
        #expect(config.training.optimizer.weightDecay == 0.01)
        #expect(config.data.delimiter == "\t")
        let text = try RunConfig.decode(try ConfigNode.parse(yaml: "data: {train: \(bundledWine)}\nmodel: {kind: text}", file: "t"),
                                        baseDirectory: "/")
        #expect(text.data.format == .text)
        #expect(text.training.task == .classification)
        #expect(throws: ConfigError.self) {
            try RunConfig.decode(try ConfigNode.parse(yaml: "data: {train: \(bundledWine), target: q}\ntraining: {task: classification, loss: mse}", file: "t"),
                                 baseDirectory: "/")
        }
    }

    @Test func editDistanceAndNearest() {
        #expect(editDistance("optimzer", "optimizer") == 1)
        #expect(editDistance("", "abc") == 3)
        #expect(nearest("optimzer", among: ["optimizer", "schedule"]) == "optimizer")
        #expect(nearest("zzzzzz", among: ["optimizer", "schedule"]) == nil)
    }
}
