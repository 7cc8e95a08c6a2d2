import ArgumentParser
import Foundation
import TrainKitRegistry

/// `trainkit models list`.
struct ModelsListCommand: CLICommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered models.")

    @Flag(help: "Print one JSON array.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let models = try store.models()
        if json { return try io.json(models) }
        guard !models.isEmpty else { return io.output("no models registered in \(store.label)") }
        var rows = [["name", "versions", "latest", "aliases"]]
        for m in models {
            rows.append([m.name, String(m.versions), m.latest.map(String.init) ?? "—",
                         m.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        }
        io.output(TextTable.render(rows))
    }
}

/// `trainkit models show NAME[@V|@ALIAS]`.
struct ModelsShowCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's versions, or one version in full.")

    @Argument(help: ArgumentHelp("NAME (every version), NAME@N or NAME@ALIAS (one version).", valueName: "model"))
    var model: String

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let reference = try ModelReference(parsing: model)
        let store = try storeOptions.open()
        defer { store.close() }
        if !model.contains("@") {
            let versions = try store.versions(of: reference.name)
            if json { return try io.json(versions) }
            let metricNames = Array(Set(versions.flatMap { $0.metrics.keys.filter { $0.hasPrefix("test_") } })).sorted()
            var rows = [["version", "created", "by", "aliases", "parent"] + metricNames]
            for v in versions {
                rows.append([String(v.version), String(v.createdAt.prefix(19)), v.createdBy, v.aliases.joined(separator: ","),
                             v.parent ?? "—"] + metricNames.map { metricText(v.metrics[$0]) })
            }
            return io.output(TextTable.render(rows))
        }
        let version = try store.resolve(reference)
        if json { return try io.json(version) }
        let folder = store.artifactRoot.appendingPathComponent(version.artifactPath).path
        var lines = [
            "\(version.reference)\(version.aliases.isEmpty ? "" : " (\(version.aliases.joined(separator: ", ")))")",
            "  registered   \(version.createdAt) by \(version.createdBy)",
            "  from run     \(version.source)",
            "  artifacts    \(folder)\(FileManager.default.fileExists(atPath: folder) ? "" : "  (MISSING)")",
            "  trainkit     \(version.trainkitVersion)",
            "  parent       \(version.parent ?? "none")",
            "  inputs       \(version.inputSchema.isEmpty ? "—" : version.inputSchema.joined(separator: ", "))",
            "  test data    \(version.testData ?? "unknown")",
            "  metrics",
        ]
        lines += version.metrics.sorted { $0.key < $1.key }.map { "    \($0.key.padding(toLength: 20, withPad: " ", startingAt: 0)) \(metricText($0.value))" }
        lines.append("  data files (SHA-256)")
        lines += version.dataHashes.sorted { $0.key < $1.key }.map { "    \($0.key)  \($0.value)" }
        io.output(lines.joined(separator: "\n"))
    }
}

/// `trainkit models compare A B`.
struct ModelsCompareCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Set two versions side by side: metrics, test data, config, lineage.")

    @Argument(help: ArgumentHelp("The first version (NAME@N or NAME@ALIAS).", valueName: "a"))
    var first: String

    @Argument(help: ArgumentHelp("The second version.", valueName: "b"))
    var second: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    struct Comparison: Encodable {
        var a: String
        var b: String
        var sameTestData: Bool
        var metrics: [String: [Double?]]
        var configLinesChanged: Int
    }

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let a = try store.resolve(ModelReference(parsing: first)), b = try store.resolve(ModelReference(parsing: second))
        let names = Set(a.metrics.keys).union(b.metrics.keys).sorted()
        let sameTest = a.testData != nil && a.testData == b.testData
        let linesA = a.params.split(separator: "\n"), linesB = b.params.split(separator: "\n")
        let changed = Set(linesA).symmetricDifference(Set(linesB)).count
        if json {
            return try io.json(Comparison(a: a.reference, b: b.reference, sameTestData: sameTest,
                                          metrics: Dictionary(uniqueKeysWithValues: names.map { ($0, [a.metrics[$0], b.metrics[$0]]) }),
                                          configLinesChanged: changed))
        }
        var rows = [["metric", a.reference, b.reference, "b - a"]]
        for name in names {
            let diff = a.metrics[name].flatMap { x in b.metrics[name].map { String(format: "%+.4f", $0 - x) } } ?? "—"
            rows.append([name, metricText(a.metrics[name]), metricText(b.metrics[name]), diff])
        }
        io.output(TextTable.render(rows))
        io.output(sameTest ? "test data: the same (the test metrics compare)"
                  : "test data: DIFFERENT or unknown (\(a.testData ?? "unknown") vs \(b.testData ?? "unknown")): the test metrics do not compare")
        io.output("config: \(changed == 0 ? "identical" : "\(changed) line\(changed == 1 ? "" : "s") differ")")
        io.output("parents: \(a.parent ?? "none") / \(b.parent ?? "none"); trainkit \(a.trainkitVersion) / \(b.trainkitVersion)")
    }
}

/// `trainkit models history [NAME]`.
struct ModelsHistoryCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every registration, deletion, alias change, promotion and refusal, oldest first.")

    @Argument(help: "Only this model.")
    var name: String?

    @Flag(help: "Print one JSON array.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let events = try store.events(of: name)
        if json { return try io.json(events) }
        var rows = [["at", "user", "action", "model", "alias", "outcome", "rule"]]
        for e in events {
            rows.append([String(e.at.prefix(19)), e.user, e.action, e.version.map { "\(e.name)@\($0)" } ?? e.name,
                         e.alias ?? "", e.outcome, e.rule ?? ""])
        }
        io.output(TextTable.render(rows))
    }
}
