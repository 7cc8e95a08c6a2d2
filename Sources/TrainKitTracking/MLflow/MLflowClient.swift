import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of MLflow's tracking REST API (`/api/2.0/mlflow/...`) and of the artifact proxy a server started with
/// `--serve-artifacts` offers (`/api/2.0/mlflow-artifacts/artifacts/...`).
///
/// Every call blocks until the server answers; a refused connection, a timeout or an answer other than 200 throws
/// ``TrackingError/mlflow(endpoint:reason:)`` with the server's message.
///
/// ```swift
/// let client = try MLflowClient(trackingURI: "http://127.0.0.1:5000")
/// let experiment = try client.experimentID(named: "wine")
/// let run = try client.createRun(experimentID: experiment, name: "wine", tags: ["team": "ml"])
/// try client.logBatch(runID: run.runID, metrics: [MLflowMetric(key: "loss", value: 0.4, step: 1)])
/// try client.updateRun(runID: run.runID, status: .finished)
/// ```
public final class MLflowClient: Sendable {
    /// The tracking server, e.g. `http://127.0.0.1:5000`.
    public let trackingURI: URL
    private let transport: HTTPTransport

    /// MLflow's limits per `runs/log-batch` request.
    static let maxMetricsPerBatch = 1000, maxParamsPerBatch = 100, maxTagsPerBatch = 100

    /// - Throws: ``TrackingError/invalidURL(_:)`` unless `trackingURI` is an http(s) URL with a host.
    public init(trackingURI: String, timeout: TimeInterval = 15) throws {
        guard let url = URL(string: trackingURI), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host != nil else { throw TrackingError.invalidURL(trackingURI) }
        self.trackingURI = url
        transport = HTTPTransport(timeout: timeout)
    }

    // MARK: - experiments and runs

    /// The id of the experiment named `name`, created when there is none.
    public func experimentID(named name: String) throws -> String {
        let endpoint = "experiments/get-by-name"
        var components = URLComponents(url: apiURL(endpoint), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "experiment_name", value: name)]
        let (status, body) = try send(URLRequest(url: components.url!), endpoint: endpoint, allowing: [404])
        if status == 200, let id = (json(body)["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
        do {
            let created = try post("experiments/create", ["name": name])
            if let id = created["experiment_id"] as? String { return id }
            throw TrackingError.mlflow(endpoint: "experiments/create", reason: "the answer has no experiment_id")
        } catch TrackingError.mlflow(_, let reason) where reason.contains("RESOURCE_ALREADY_EXISTS") {
            return try experimentID(named: name)  // created meanwhile by another process
        }
    }

    /// Creates a run and returns its id and artifact location.
    public func createRun(experimentID: String, name: String, tags: [String: String] = [:],
                          startTime: Date = Date()) throws -> MLflowRunInfo {
        let answer = try post("runs/create", [
            "experiment_id": experimentID, "run_name": name, "start_time": Self.milliseconds(startTime),
            "tags": tags.keys.sorted().map { ["key": $0, "value": tags[$0]!] },
        ])
        guard let info = (answer["run"] as? [String: Any])?["info"] as? [String: Any],
              let runID = info["run_id"] as? String else {
            throw TrackingError.mlflow(endpoint: "runs/create", reason: "the answer has no run.info.run_id")
        }
        return MLflowRunInfo(runID: runID, experimentID: experimentID, artifactURI: info["artifact_uri"] as? String ?? "")
    }

    /// Logs metrics, params and tags, split into requests within MLflow's limits (1000 metrics, 100 params,
    /// 100 tags each). Non-finite metric values are left out (JSON cannot carry them).
    public func logBatch(runID: String, metrics: [MLflowMetric] = [], params: [String: String] = [:],
                         tags: [String: String] = [:]) throws {
        let metricObjects: [[String: Any]] = metrics.filter { $0.value.isFinite }.map {
            ["key": $0.key, "value": $0.value, "step": $0.step, "timestamp": Self.milliseconds($0.timestamp)]
        }
        let paramObjects = params.keys.sorted().map { ["key": $0, "value": params[$0]!] }
        let tagObjects = tags.keys.sorted().map { ["key": $0, "value": tags[$0]!] }
        var m = 0, p = 0, t = 0
        repeat {
            let metricsPart = Array(metricObjects[m..<min(m + Self.maxMetricsPerBatch, metricObjects.count)])
            let paramsPart = Array(paramObjects[p..<min(p + Self.maxParamsPerBatch, paramObjects.count)])
            let tagsPart = Array(tagObjects[t..<min(t + Self.maxTagsPerBatch, tagObjects.count)])
            _ = try post("runs/log-batch", ["run_id": runID, "metrics": metricsPart, "params": paramsPart, "tags": tagsPart])
            m += metricsPart.count
            p += paramsPart.count
            t += tagsPart.count
        } while m < metricObjects.count || p < paramObjects.count || t < tagObjects.count
    }

    /// Ends a run with `status`.
    public func updateRun(runID: String, status: MLflowRunStatus, endTime: Date = Date()) throws {
        _ = try post("runs/update", ["run_id": runID, "status": status.rawValue, "end_time": Self.milliseconds(endTime)])
    }

    // MARK: - artifacts

    /// Uploads `file` as the artifact `path` (relative, `/`-separated) of a run, through the server's artifact
    /// proxy.
    /// - Throws: ``TrackingError/mlflow(endpoint:reason:)`` when the run's artifact location is not served by the
    ///   tracking server (a server started without `--serve-artifacts`), or the upload fails.
    public func uploadArtifact(_ file: URL, as path: String, run: MLflowRunInfo) throws {
        let endpoint = "mlflow-artifacts/artifacts"
        guard let root = Self.proxiedPath(run.artifactURI) else {
            throw TrackingError.mlflow(
                endpoint: endpoint,
                reason: "the run's artifact location '\(run.artifactURI)' is not served by the tracking server "
                    + "(start it with --serve-artifacts)")
        }
        var url = trackingURI.appendingPathComponent("api/2.0/mlflow-artifacts/artifacts")
        for part in (root + "/" + path).split(separator: "/") { url.appendPathComponent(String(part)) }
        var request = URLRequest(url: url)
        request.httpMethod = "PUT"
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        do {
            request.httpBody = try Data(contentsOf: file)
        } catch {
            throw TrackingError.file(path: file.path, reason: "cannot read: \(error.localizedDescription)")
        }
        _ = try send(request, endpoint: endpoint)
    }

    /// `mlflow-artifacts:/1/RUN/artifacts` or `mlflow-artifacts://host:port/1/RUN/artifacts` → `1/RUN/artifacts`.
    static func proxiedPath(_ artifactURI: String) -> String? {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else { return nil }
        var rest = artifactURI.dropFirst(scheme.count)
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        let path = rest.split(separator: "/").joined(separator: "/")
        return path.isEmpty ? nil : path
    }

    // MARK: - requests

    private func apiURL(_ endpoint: String) -> URL {
        trackingURI.appendingPathComponent("api/2.0/mlflow").appendingPathComponent(endpoint)
    }

    private func post(_ endpoint: String, _ body: [String: Any]) throws -> [String: Any] {
        var request = URLRequest(url: apiURL(endpoint))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return json(try send(request, endpoint: endpoint).body)
    }

    private func send(_ request: URLRequest, endpoint: String, allowing allowed: Set<Int> = []) throws -> (status: Int, body: Data) {
        let status: Int, body: Data
        do {
            (status, body) = try transport.send(request)
        } catch {
            throw TrackingError.mlflow(endpoint: endpoint, reason: "\(trackingURI.absoluteString) unreachable: \(error.localizedDescription)")
        }
        guard status == 200 || allowed.contains(status) else {
            let object = json(body)
            let message = [object["error_code"] as? String, object["message"] as? String].compactMap { $0 }
                .joined(separator: ": ")
            let text = message.isEmpty ? String(decoding: body.prefix(300), as: UTF8.self) : message
            throw TrackingError.mlflow(endpoint: endpoint, reason: "HTTP \(status) \(text)")
        }
        return (status, body)
    }

    private func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// A run on the server: its id, experiment and artifact location.
public struct MLflowRunInfo: Equatable, Sendable {
    public var runID: String
    public var experimentID: String
    public var artifactURI: String
}

/// One metric value at a step.
public struct MLflowMetric: Equatable, Sendable {
    public var key: String
    public var value: Double
    public var step: Int
    public var timestamp: Date

    public init(key: String, value: Double, step: Int, timestamp: Date = Date()) {
        self.key = key
        self.value = value
        self.step = step
        self.timestamp = timestamp
    }
}

/// The end states of a run (MLflow's `RunStatus`).
public enum MLflowRunStatus: String, Sendable {
    case running = "RUNNING", finished = "FINISHED", failed = "FAILED", killed = "KILLED"
}
