import Foundation
import Testing
@testable import TrainKitCLICore

/// The config schema is defined once (``RunConfig/fields``); the unknown-key check, the writer, the docs'
/// key tables, the JSON Schema and model.json's keys all follow it.
@Suite struct ConfigSchemaTests {
    /// The wine config's tree, parsed.
    func wineTree() throws -> ConfigNode {
        try ConfigNode.parse(yaml: wineConfig(output: URL(fileURLWithPath: "/tmp/run")), file: "wine.yaml")
    }

    @Test func docsTablesMatchTheSchema() throws {
        let url = repositoryRoot.appendingPathComponent("docs/config.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for group in ConfigDocs.groups {
            #expect(text.contains(ConfigDocs.beginMarker(group)), "docs/config.md lacks the table of '\(group)'")
        }
        let regenerated = try ConfigDocs.update(text)
        #expect(regenerated == text, """
            docs/config.md's key tables differ from RunConfig.fields (Sources/TrainKitCLICore/Config/RunConfig+Fields.swift): \
            edit the fields, then run `swift run trainkit config docs --update docs/config.md`
            """)
        // Every key appears in a table, with its type text.
        for field in RunConfig.fields where !field.isSection || field.section.isEmpty {
            let group = ConfigDocs.groups.last { !$0.isEmpty && field.path.hasPrefix($0 + ".") } ?? ""
            let key = group.isEmpty ? field.path : String(field.path.dropFirst(group.count + 1))
            #expect(ConfigDocs.table(group).contains("| `\(key)` | \(ConfigDocs.typeText(field)) |"), "\(field.path)")
        }
    }

    @Test func unknownKeyCheckKnowsExactlyTheFields() throws {
        let paths = Set(RunConfig.fields.map(\.path))
        #expect(Set(ConfigSchema.allPaths) == paths)
        #expect(paths.count == RunConfig.fields.count, "a key is listed twice")
        // A key the fields list is accepted wherever it is written; its misspelling is refused with a suggestion.
        var tree = try wineTree()
        try ConfigOverride.apply("training.schedule.min_lr=0.0", to: &tree)
        _ = try RunConfig.decode(tree, baseDirectory: "/", checkFiles: false)
        try ConfigOverride.apply("training.schedule.min_lrr=0.0", to: &tree)
        #expect(throws: ConfigError.self) { try RunConfig.decode(tree, baseDirectory: "/", checkFiles: false) }
        do {
            _ = try RunConfig.decode(tree, baseDirectory: "/", checkFiles: false)
        } catch {
            #expect("\(error)".contains("did you mean 'training.schedule.min_lr'?"), "\(error)")
        }
    }

    @Test func writerWritesEveryKeyAndReadsBackTheSameConfig() throws {
        var tree = try wineTree()
        try ConfigOverride.apply("training.early_stopping={patience: 3}", to: &tree)
        try ConfigOverride.apply("training.schedule={name: onecycle, max_lr: 0.01}", to: &tree)
        try ConfigOverride.apply(
            "pipeline={name: wine, require: [\"test_rmse <= 1\"], search: {trials: 2, space: {training.optimizer.lr: {tune: uniform, low: 0.001, high: 0.01}}}}",
            to: &tree)
        let config = try RunConfig.decode(tree, baseDirectory: "/", checkFiles: false)
        let written = config.tree
        func paths(_ node: ConfigNode, _ prefix: String) -> [String] {
            guard let entries = node.entries else { return [] }
            return entries.flatMap { e -> [String] in
                let path = prefix.isEmpty ? e.key : "\(prefix).\(e.key)"
                return [path] + (["strip_suffix", "space"].contains(e.key) ? [] : paths(e.value, path))
            }
        }
        let expected = RunConfig.fields.filter { $0.kinds == nil && $0.write(config) != nil || $0.isSection }.map(\.path)
        #expect(Set(paths(written, "")).isSuperset(of: expected))
        #expect(Set(paths(written, "")).isSubset(of: Set(RunConfig.fields.map(\.path))))
        #expect(try RunConfig.decode(written, baseDirectory: "/", checkFiles: false) == config)
    }

    /// Each bound the fields state (and the docs and the JSON Schema show) is one the reader enforces.
    @Test func readerEnforcesTheBoundsOfTheFields() throws {
        for field in RunConfig.fields {
            guard let bounds = field.bounds else { continue }
            let outside: Double = if let low = bounds.low { bounds.lowOpen ? low : low - 1 } else { bounds.highOpen ? bounds.high! : bounds.high! + 1 }
            var text = field.type == .number ? "\(outside)" : "\(Int(outside))"
            if case .list = field.type { text = "[\(text), \(text)]" }
            var tree = try wineTree()
            if let kind = field.kinds?.first {  // a key that only some kinds read: on one of them
                try ConfigOverride.apply("model.kind=\(kind.rawValue)", to: &tree)
                if kind == .text { try ConfigOverride.apply("model.encoder=transformer", to: &tree) }
            }
            try ConfigOverride.apply("\(field.path)=\(text)", to: &tree)
            do {
                _ = try RunConfig.decode(tree, baseDirectory: "/", checkFiles: false)
                Issue.record("\(field.path)=\(text) is outside \(bounds.text) but was accepted")
            } catch let error as ConfigError {
                #expect("\(error)".contains(field.path + ":"), "\(field.path): \(error)")
            }
            #expect(!bounds.contains(outside))
        }
    }

    @Test func jsonSchemaAcceptsEveryExampleConfig() throws {
        let schema = try JSONDecoder().decode(JSONTree.self, from: Data(try ConfigJSONSchema.text().utf8))
        let validator = JSONSchemaValidator(root: schema)
        let folder = repositoryRoot.appendingPathComponent("Examples/configs")
        let examples = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(examples.count >= 10)
        for name in examples {
            let tree = try ConfigNode.load(file: folder.appendingPathComponent(name).path)
            let errors = validator.errors(JSONTree(tree))
            #expect(errors.isEmpty, "\(name): \(errors)")
        }
    }

    @Test func jsonSchemaRefusesWhatTheReaderRefuses() throws {
        let validator = JSONSchemaValidator(root: ConfigJSONSchema.schema)
        func errors(_ yaml: String) throws -> [String] {
            validator.errors(JSONTree(try ConfigNode.parse(yaml: yaml, file: "t.yaml")))
        }
        #expect(try errors("data: {train: a.csv, target: y}").isEmpty)
        #expect(try errors("data: {train: a.csv, validaton_split: 0.1}").contains("data.validaton_split: unknown key"))
        #expect(try !errors("data: {train: a.csv, validation_split: 1.5}").isEmpty)
        #expect(try !errors("data: {train: a.csv}\ntraining: {epochs: 0}").isEmpty)
        #expect(try !errors("data: {train: a.csv}\nmodel: {kind: perceptron}").isEmpty)
        #expect(try !errors("data: {train: a.csv}\ntraining: {optimizer: {betas: [0.9]}}").isEmpty)
        #expect(try errors("model: {kind: mlp}").contains(": missing data"))
        #expect(try errors("data: {train: a.csv}\ntraining: {optimizer: {lr: 1e-3}, schedule: cosine, early_stopping: true}").isEmpty)
        #expect(try errors("data: {train: a.csv}\ntraining: {optimizer: {lr: {tune: loguniform, low: 1e-4, high: 0.1}}}").isEmpty)
        // Every key of the fields is a property of the schema, with its description.
        let text = try ConfigJSONSchema.text()
        for field in RunConfig.fields { #expect(text.contains("\"\(field.key)\""), "\(field.path)") }
    }

    @Test func configSchemaCommandPrintsTheSchema() throws {
        let result = trainkit(["config", "schema"])
        #expect(result.status == 0)
        let printed = try JSONDecoder().decode(JSONTree.self, from: Data(result.output.utf8))
        let expected = try JSONDecoder().decode(JSONTree.self, from: Data(try ConfigJSONSchema.text().utf8))
        #expect(printed == expected)
        // --update rewrites only the marked tables, and refuses a file without any.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stale = try write("# Title\n\n\(ConfigDocs.beginMarker("model"))\n| old |\n\(ConfigDocs.endMarker)\n\nkept\n", to: "c.md", in: dir)
        #expect(trainkit(["config", "docs", "--update", stale]).status == 0)
        let updated = try String(contentsOfFile: stale, encoding: .utf8)
        #expect(updated.contains(ConfigDocs.table("model")) && !updated.contains("| old |") && updated.hasSuffix("\n\nkept\n"))
        let plain = try write("# nothing\n", to: "p.md", in: dir)
        let refused = trainkit(["config", "docs", "--update", plain])
        #expect(refused.status == 2 && refused.diagnostics.contains("no generated tables"), "\(refused.diagnostics)")
        let docs = trainkit(["config", "docs"])
        #expect(docs.status == 0)
        #expect(docs.output.contains("| `optimizer.lr` | number > 0 | 0.001 |"))
    }

    @Test func modelJSONUsesSnakeCaseAndReadsCamelCase() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try trainedWineRun(in: dir)
        let url = run.appendingPathComponent("model/model.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        for key in ["\"parameter_count\"", "\"created_by\"", "\"validation_split\"", "\"batch_size\""] {
            #expect(text.contains(key), "\(key) missing from model.json")
        }
        for key in ["\"parameterCount\"", "\"createdBy\"", "\"validationSplit\"", "\"batchSize\""] {
            #expect(!text.contains(key), "\(key) in model.json")
        }
        let fresh = try ModelArtifact.load(run.path).artifact
        // Dictionary keys (metric names) are data, not keys to convert.
        #expect(fresh.metrics["test_loss"] != nil && fresh.metrics["testLoss"] == nil, "\(fresh.metrics.keys.sorted())")

        // The same file as an earlier trainkit wrote it: camelCase keys, the config's too.
        let old = try editedRun(run, "old", in: dir) { model in
            func camel(_ value: Any, keepKeys: Bool = false) -> Any {
                if let dict = value as? [String: Any] {
                    return Dictionary(uniqueKeysWithValues: dict.map { key, v in
                        (keepKeys ? key : camelCase(key), camel(v, keepKeys: key == "strip_suffix" || key == "metrics"))
                    })
                }
                if let list = value as? [Any] { return list.map { camel($0) } }
                return value
            }
            model = camel(model) as! [String: Any]
            // Earlier files held every model key, also those the kind does not read.
            var config = try #require(model["config"] as? [String: Any])
            var m = try #require(config["model"] as? [String: Any])
            let everyKind: [String: Any] = ["encoder": "bag", "architecture": "mf", "heads": 4, "latentDim": 8]
            m.merge(everyKind) { a, _ in a }
            config["model"] = m
            model["config"] = config
        }
        let oldText = try String(contentsOf: old.appendingPathComponent("model/model.json"), encoding: .utf8)
        #expect(oldText.contains("\"validationSplit\"") && oldText.contains("\"parameterCount\"") && oldText.contains("\"latentDim\""))
        let loaded = try ModelArtifact.load(old.path).artifact
        #expect(loaded.config == fresh.config)
        #expect(loaded.parameterCount == fresh.parameterCount)
        #expect(loaded.metrics == fresh.metrics)
        #expect(trainkit(["info", old.path]).status == 0)
    }
}
