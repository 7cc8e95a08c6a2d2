import ArgumentParser
import Foundation
import TrainKit
import TrainKitRegistry
import Yams

/// `trainkit models register RUN --name NAME [--parent NAME@V]`.
struct ModelsRegisterCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Record a finished run as the next version of a model.",
        discussion: """
            Records the run's metrics, its config, the SHA-256 of each data file, the TrainKit version and the \
            version it was warm-started from (--parent), and copies model/ and the run's reports into the store.
            """)

    @Argument(help: "A finished run directory.", completion: .directory)
    var run: String

    @Option(help: "The model's name (letters, digits, '_', '-', '.').")
    var name: String

    @Option(help: ArgumentHelp("The version this run was warm-started from (default: the registered source in the run's lineage.json).", valueName: "name@version"))
    var parent: String?

    @Flag(help: "Print the version as one JSON object.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        try ModelReference.checkName(name)
        let url = URL(fileURLWithPath: run).standardizedFileURL
        // Without --parent, a warm-started run's registered source (its lineage.json) is the parent.
        let parentReference = try parent.map { try ModelReference(parsing: $0) } ?? Lineage.read(runDirectory: url)?.parent
        let contents = try RunContents.inspect(url)
        guard contents.exists else { throw ConfigError.usage("\(run): no such run directory") }
        guard contents.isFinished else {
            throw ConfigError.usage("\(run): not a finished run (no model/model.json and model/weights.safetensors); is training finished?")
        }
        let record = try RunRecord(url, io: io)
        let store = try storeOptions.open()
        defer { store.close() }
        let draft = VersionDraft(
            name: name, source: url.path, metrics: record.metrics, params: record.config, dataHashes: record.dataHashes,
            testData: record.testData, inputSchema: record.inputSchema, trainkitVersion: TrainKitVersion.current,
            parent: parentReference, artifacts: record.artifacts, user: RegistryModels.user)
        let version = try store.register(draft, from: url)
        if json { return try io.json(version) }
        io.output("registered \(version.reference) in \(store.label) (artifacts: \(store.artifactRoot.appendingPathComponent(version.artifactPath).path))")
    }
}

/// What `register` reads from a run directory.
struct RunRecord {
    var metrics: [String: Double] = [:]
    var config = ""
    var dataHashes: [String: String] = [:]
    var testData: String?
    var inputSchema: [String] = []
    var artifacts: [String] = []

    init(_ run: URL, io: CommandIO) throws {
        let fm = FileManager.default
        let modelFile = run.appendingPathComponent("model/model.json")
        let object: [String: Any]
        do {
            object = try JSONSerialization.jsonObject(with: try Data(contentsOf: modelFile)) as? [String: Any] ?? [:]
        } catch {
            throw DataError.invalidFormat(file: modelFile.path, reason: "not a TrainKit model.json (\(error))")
        }
        for (key, value) in object["metrics"] as? [String: Any] ?? [:] {
            if let number = value as? NSNumber { metrics[key] = number.doubleValue }
        }
        inputSchema = Self.inputColumns(object["preprocessing"] as? [String: Any] ?? [:])
        let configFile = run.appendingPathComponent("config.yaml")
        config = (try? String(contentsOf: configFile, encoding: .utf8)) ?? ""
        try hashData(config: config, run: run, io: io)
        artifacts = RunContents.topFiles.filter { fm.fileExists(atPath: run.appendingPathComponent($0).path) }
        let model = run.appendingPathComponent("model")
        for file in (try? fm.contentsOfDirectory(atPath: model.path))?.sorted() ?? [] where !file.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: model.appendingPathComponent(file).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                artifacts.append("model/\(file)")
            }
        }
    }

    /// The input columns a model reads, as its preprocessing names them.
    static func inputColumns(_ pre: [String: Any]) -> [String] {
        if let table = pre["table"] as? [String: Any], let encoder = table["encoder"] as? [String: Any],
           let steps = encoder["steps"] as? [[String: Any]] {
            return steps.compactMap { $0["name"] as? String }
        }
        if let columns = pre["columns"] as? [String] { return columns }
        return ["text_column", "user", "item"].compactMap { pre[$0] as? String }
    }

    /// SHA-256 of each data file the config names (every file of an IDX folder); the test data's identity.
    private mutating func hashData(config: String, run: URL, io: CommandIO) throws {
        guard let tree = (try? Yams.load(yaml: config)) as? [String: Any], let data = tree["data"] as? [String: Any] else { return }
        let seed = tree["seed"].map { "\($0)" } ?? "0"
        var hashes: [String: String] = [:]
        for role in ["train", "test"] {
            guard let path = data[role] as? String, !path.isEmpty else { continue }
            let resolved = path.hasPrefix("/") ? path : run.appendingPathComponent(path).path
            for file in Self.files(resolved) {
                do {
                    dataHashes["\(role): \(file)"] = try SHA256.hex(file: file)
                    hashes[role, default: ""] += dataHashes["\(role): \(file)"]!
                } catch {
                    io.progress("warning: \(file): cannot hash the \(role) data (\(error)); recorded without it")
                }
            }
            if Self.files(resolved).isEmpty { io.progress("warning: data.\(role) \(resolved): not found; its hash is not recorded") }
        }
        if let test = hashes["test"] {
            testData = "file:" + SHA256.hex(Array(test.utf8))
        } else if let train = hashes["train"] {
            let split = ["test_split", "validation_split", "stratify"].map { "\($0)=\(data[$0].map { "\($0)" } ?? "default")" }
            testData = "split:" + SHA256.hex(Array((train + split.joined(separator: ",") + "seed=\(seed)").utf8))
        }
    }

    /// The file at `path`, or the regular files in the folder at `path` (sorted).
    static func files(_ path: String) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        return ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" }.filter {
            var inner: ObjCBool = false
            return fm.fileExists(atPath: $0, isDirectory: &inner) && !inner.boolValue
        }
    }
}
