import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TrainKit
import TrainKitCLICore

/// `trainkit serve MODEL… [--host 127.0.0.1] [--port 8080]`: the Open Inference Protocol v2 over HTTP.
public struct ServeCommand: CLICommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve trained models over HTTP with the Open Inference Protocol v2 (KServe/Triton REST).",
        discussion: """
            Each MODEL is a run or model directory, served under the directory's name (or NAME=PATH to choose). \
            Raw feature rows go in (numbers and category strings, preprocessed as in training); predictions come \
            out. Routes: /v2/health/live, /v2/health/ready, /v2/models/NAME[/versions/1][/ready|/infer], /metrics. \
            SIGTERM or SIGINT stops it gracefully: requests in flight finish. Docs: docs/serving.md.
            """)

    @Argument(help: "Run or model directories, or registered models (NAME@production, NAME@3); NAME=… chooses the served name.",
              completion: .file())
    var models: [String]

    @Option(help: "The registry for registered models (default: $TRAINKIT_STORE, else ~/.trainkit/registry.db).")
    var store: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port; the chosen one is printed).")
    var port = 8080

    @Option(name: .customLong("max-batch"), help: "The most rows one model call takes (dynamic batching).")
    var maxBatch = 64

    @Option(name: .customLong("max-delay-ms"), help: "How long a batch waits for more requests, in milliseconds (0: run what is queued).")
    var maxDelayMs = 0.0

    @Option(name: .customLong("max-queue"), help: "The most requests waiting per model; more are answered 503 with Retry-After.")
    var maxQueue = 1024

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body; larger ones are answered 413.")
    var maxBodyBytes = 16 << 20

    @Option(name: .customLong("timeout-ms"), help: "The longest a request may wait in the queue before it is answered 504.")
    var timeoutMs = 30_000.0

    @Option(name: .customLong("idle-timeout-s"), help: "Close a connection idle (or sending nothing) this long.")
    var idleTimeoutS = 60.0

    @Option(name: .customLong("token-file"), help: "Require 'Authorization: Bearer <token>' with the token in this file.", completion: .file())
    var tokenFile: String?

    @Option(name: .customLong("token-env"), help: "Require a bearer token, read from this environment variable.")
    var tokenEnv: String?

    @Option(name: .customLong("reload-interval-s"), help: "Check the served directories for a new model this often (0: never).")
    var reloadIntervalS = 2.0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    public init() {}

    public func execute(_ io: CommandIO) throws {
        guard maxBatch >= 1 else { throw ConfigError.usage("--max-batch \(maxBatch): must be at least 1") }
        guard maxQueue >= 1 else { throw ConfigError.usage("--max-queue \(maxQueue): must be at least 1") }
        guard maxBodyBytes >= 1 else { throw ConfigError.usage("--max-body-bytes \(maxBodyBytes): must be at least 1") }
        guard maxDelayMs >= 0, timeoutMs > 0, idleTimeoutS > 0, reloadIntervalS >= 0 else {
            throw ConfigError.usage("--max-delay-ms must be ≥ 0, --timeout-ms and --idle-timeout-s > 0, --reload-interval-s ≥ 0")
        }
        guard (0...65535).contains(port) else { throw ConfigError.usage("--port \(port): must be 0…65535") }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ConfigError.usage("--log-level \(logLevel): one of trace, debug, info, notice, warning, error, critical")
        }
        let token = try readToken()
        var options = InferenceBatcher.Options()
        options.maxBatch = maxBatch
        options.maxDelay = .microseconds(Int64(maxDelayMs * 1000))
        options.maxQueue = maxQueue
        options.timeout = .microseconds(Int64(timeoutMs * 1000))
        let metrics = ServerMetrics()
        var logger = Logger(label: "trainkit.serve")
        logger.logLevel = level

        var slots: [String: ModelSlot] = [:]
        for spec in models {
            let (given, text) = Self.nameAndSource(spec)
            let source = try ModelSource.parse(text, store: store)
            let name = given ?? source.defaultName
            guard slots[name] == nil else { throw ConfigError.usage("two models are served as '\(name)'; name them with NAME=PATH") }
            let (path, version) = try source.resolve()
            let model = try ServedModel(path: path, name: name, version: version)
            slots[name] = ModelSlot(name: name, source: source, batcher: Self.batcher(model, options, metrics))
            logger.info("loaded model", metadata: ["model": "\(name)", "source": "\(source)", "version": "\(version)",
                                                   "inputs": "\(model.inputColumns.count)"])
        }
        let batching = options, log = logger
        let served = slots, names = slots.keys.sorted().joined(separator: ", "), host = host, port = port
        let shuttingDown = ManagedAtomicFlag()
        let server = InferenceServer(slots: served, options: .init(maxBodyBytes: maxBodyBytes, token: token),
                                     metrics: metrics, logger: logger, shuttingDown: shuttingDown)
        let reloadInterval = reloadIntervalS, idleTimeout = Int64(idleTimeoutS * 1e9)
        let outcome = LockedResult()
        let done = DispatchSemaphore(value: 0)
        Task { @Sendable in
            let app = Application(
                router: server.router(),
                server: .http1(configuration: .init(idleTimeout: .nanoseconds(idleTimeout))),
                configuration: .init(address: .hostname(host, port: port), serverName: "trainkit", backlog: 1024),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    io.diagnostics("trainkit: serving \(names) on http://\(host):\(bound)")
                },
                logger: log)
            let reloader = reloadInterval > 0 ? Task { @Sendable in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(reloadInterval * 1000)))
                    for slot in served.values { Self.reloadIfChanged(slot, batching, metrics, log) }
                }
            } : nil
            do { try await app.runService() } catch { outcome.set(error) }
            shuttingDown.set()
            reloader?.cancel()
            for slot in served.values { slot.current.shutdown() }
            done.signal()
        }
        done.wait()
        logger.info("stopped")
        if let error = outcome.error { throw error }
    }

    /// `NAME=SOURCE` → (NAME, SOURCE); a bare source → (nil, SOURCE).
    static func nameAndSource(_ spec: String) -> (String?, String) {
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains("/"), !spec[..<eq].isEmpty {
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }
        return (nil, spec)
    }

    private static func batcher(_ model: ServedModel, _ options: InferenceBatcher.Options, _ metrics: ServerMetrics) -> InferenceBatcher {
        InferenceBatcher(model: model, options: options) { rows, _, _ in metrics.batch(model: model.name, rows: rows) }
    }

    /// Loads the slot's model again and swaps it in when its source names another version or its files changed;
    /// a model that does not load (or a store that cannot be read) is logged and the old one kept.
    private static func reloadIfChanged(_ slot: ModelSlot, _ options: InferenceBatcher.Options, _ metrics: ServerMetrics,
                                        _ logger: Logger) {
        do {
            guard let (path, version) = try slot.pendingReload() else { return }
            let model = try ServedModel(path: path, name: slot.name, version: version)
            slot.swap(to: batcher(model, options, metrics))
            logger.info("reloaded model", metadata: ["model": "\(slot.name)", "source": "\(slot.source)", "version": "\(version)"])
        } catch {
            logger.warning("reload failed; still serving the previous model", metadata: ["model": "\(slot.name)", "error": "\(error)"])
        }
    }

    private func readToken() throws -> String? {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ConfigError.usage("--token-file \(tokenFile): cannot read the file")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ConfigError.usage("--token-file \(tokenFile): the file is empty") }
            return token
        }
        if let tokenEnv {
            guard let token = ProcessInfo.processInfo.environment[tokenEnv], !token.isEmpty else {
                throw ConfigError.usage("--token-env \(tokenEnv): the environment variable is unset or empty")
            }
            return token
        }
        return nil
    }
}

/// An error handed from the server task to the waiting command.
private final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ error: any Error) { lock.lock(); stored = error; lock.unlock() }
}
