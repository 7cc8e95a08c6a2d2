import ArgumentParser
import Foundation
import TrainKit
import TrainKitRegistry

/// `trainkit retrain NAME --data NEW.csv [--append] [--set key=value ...] [--output DIR] [--store S] [--json]`.
struct RetrainCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Train a new version of a registered model on new data, warm-started from NAME@production.",
        discussion: """
            Takes the config recorded for NAME@production, trains on NEW.csv (with --append: the old training file \
            followed by NEW.csv's rows; the old file must still match its recorded SHA-256), starting from the \
            production weights and keeping their preprocessing, evaluates the new model and the production model \
            on the same test data (the new run's test split, or the config's data.test), prints both and registers \
            the new version with the production version as its parent. It does not promote (models promote). \
            docs/registry.md, Retraining.
            """)

    @Argument(help: "The registered model (its production version is the start).")
    var name: String

    @Option(help: ArgumentHelp("The new training data (a CSV file with the columns of the old one).", valueName: "file"),
            completion: .file())
    var data: String

    @Flag(help: "Train on the old training file followed by --data's rows, instead of --data alone.")
    var append = false

    @Flag(help: "Also start from the production model's optimizer state (moments, step counts), with the recorded config's hyperparameters.")
    var initOptimizer = false

    @Option(name: .customLong("set"),
            help: ArgumentHelp("Override a value of the recorded config, read as YAML (repeatable), e.g. --set training.epochs=5.",
                               valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("The new run directory (default: runs/NAME-retrain-TIMESTAMP).", valueName: "dir"),
            completion: .directory)
    var output: String?

    @Flag(help: "Print one JSON object (run, version, both models' test metrics) on standard output.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        for assignment in overrides where !assignment.contains("=") {
            throw ValidationError("--set \(assignment): expected key.path=value (for example --set training.epochs=5)")
        }
    }

    func execute(_ io: CommandIO) throws {
        try ModelReference.checkName(name)
        let location = try storeOptions.location()
        let productionReference = ModelReference(name: name, selector: .alias("production"))
        let production: ModelVersion
        do {
            let store = try location.open()
            defer { store.close() }
            production = try store.resolve(productionReference)
        }
        let newData = URL(fileURLWithPath: data).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: newData) else {
            throw ConfigError.missingFile(path: "--data", file: newData)
        }
        let cwd = FileManager.default.currentDirectoryPath
        let runDirectory = RunConfig.resolve(output ?? "runs/\(name)-retrain-\(FolderTimestamp.now())", against: cwd)

        // The recorded config, read as `train` reads a file: relative data paths resolve against the old run.
        var tree = try ConfigNode.parse(yaml: production.params, file: "\(production.reference) (its recorded config)")
        var config = try RunConfig.decode(tree, baseDirectory: production.source, checkFiles: false)
        guard config.data.format == .csv else {
            throw WarmStartError.unsupported("\(production.reference): retrain takes CSV models; this one reads \(config.data.format.rawValue) data")
        }
        var train = newData
        if append {
            train = try Self.appended(old: config.data.train, new: newData, production: production,
                                      into: URL(fileURLWithPath: runDirectory + "-train.csv"))
        }
        for assignment in ["data.train=\(try Self.quoted(train))", "output=\(try Self.quoted(runDirectory))"] + overrides {
            try ConfigOverride.apply(assignment, to: &tree)
        }
        config = try RunConfig.decode(tree, baseDirectory: production.source, workingDirectory: cwd)

        let start = try WarmStart.open("\(name)@production", refit: false, initOptimizer: initOptimizer, store: location)
        let prepared = try PreparedData.read(config, io: io, kept: start.keptPreprocessing)
        var run = TrainingRun(config: config, resume: false, io: io)
        run.warmStart = start
        run.data = prepared
        let result = try run.run()

        // Both models on the same test examples, scored the same way.
        let task = prepared.preprocessing.task
        var scores: [String: [String: Double]] = ["new": [:], "production": [:]]
        if let test = prepared.test, test.count > 0 {
            let new = try ModelArtifact.load(result.runDirectory.path)
            scores["new"] = Evaluation.evaluate(new.model, on: test, task: task, kind: new.artifact.spec.kind,
                                                lossName: config.training.loss)
            start.model.isTraining = false
            scores["production"] = Evaluation.evaluate(start.model, on: test, task: task, kind: start.artifact.spec.kind,
                                                       lossName: config.training.loss)
        } else {
            io.diagnostics("warning: the new run has no test data (data.test or data.test_split); the models are not compared")
        }

        let store = try location.open()
        defer { store.close() }
        let record = try RunRecord(result.runDirectory, io: io)
        let parent = ModelReference(name: name, selector: .version(production.version))
        let draft = VersionDraft(
            name: name, source: result.runDirectory.path, metrics: record.metrics, params: record.config,
            dataHashes: record.dataHashes, testData: record.testData, inputSchema: record.inputSchema,
            trainkitVersion: TrainKitVersion.current, parent: parent, artifacts: record.artifacts,
            user: RegistryModels.user)
        let version = try store.register(draft, from: result.runDirectory)

        if json {
            return try io.json(RetrainSummary(runDir: result.runDirectory.path, version: version.reference,
                                              parent: production.reference, testExamples: prepared.test?.count ?? 0,
                                              new: scores["new"]!, production: scores["production"]!))
        }
        io.output("run: \(result.runDirectory.path)")
        if let test = prepared.test, test.count > 0 {
            io.output("test data: \(test.count) examples (the new run's test set), both models")
            let keys = Set(scores["new"]!.keys).union(scores["production"]!.keys).sorted()
            var rows = [["metric", "new (\(version.reference))", "production (\(production.reference))", "new - production"]]
            for key in keys {
                let a = scores["new"]![key], b = scores["production"]![key]
                rows.append([key, metricText(a), metricText(b), a.flatMap { a in b.map { String(format: "%+.4f", a - $0) } } ?? "—"])
            }
            let widths = (0..<4).map { c in rows.map { $0[c].count }.max() ?? 0 }
            for row in rows {
                io.output(row.enumerated().map { c, cell in c == 3 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
            }
        }
        io.output("registered \(version.reference) (parent \(production.reference)); not promoted: trainkit models promote \(version.reference) --to production ...")
    }

    /// A path as a YAML double-quoted scalar (JSON string syntax), for an override.
    static func quoted(_ path: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try encoder.encode(path), as: UTF8.self)
    }

    /// Writes the old training file followed by the new file's rows (its header must be the old one's) to `file`,
    /// after checking that the old file is still the one the production version was trained on.
    static func appended(old: String, new: String, production: ModelVersion, into file: URL) throws -> String {
        guard FileManager.default.fileExists(atPath: old) else {
            throw WarmStartError.missingTrainingData(model: production.reference, file: old)
        }
        let recorded = production.dataHashes["train: \(old)"] ?? "(none recorded)"
        let actual = try SHA256.hex(file: old)
        guard actual == recorded else {
            throw WarmStartError.changedTrainingData(model: production.reference, file: old, recorded: recorded, actual: actual)
        }
        let oldText = try String(contentsOfFile: old, encoding: .utf8)
        let newText = try String(contentsOfFile: new, encoding: .utf8)
        func header(_ text: String) -> Substring { text.prefix { $0 != "\n" && $0 != "\r\n" } }
        guard header(oldText) == header(newText) else {
            throw DataError.invalidFormat(
                file: new, reason: "its header is not the old training file's (\(old)); --append needs the same columns in the same order")
        }
        var combined = oldText
        if !combined.hasSuffix("\n") { combined += "\n" }
        combined += newText.drop { $0 != "\n" && $0 != "\r\n" }.dropFirst()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(combined.utf8), to: file)
        return file.path
    }
}

/// The `--json` object of `retrain`.
struct RetrainSummary: Codable {
    var runDir: String
    var version: String
    var parent: String
    var testExamples: Int
    var new: [String: Double]
    var production: [String: Double]

    enum CodingKeys: String, CodingKey {
        case runDir = "run_dir", version, parent, testExamples = "test_examples", new, production
    }
}
