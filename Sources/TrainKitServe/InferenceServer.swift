import Foundation
import Hummingbird
import Logging
import NIOCore
import TrainKit
import TrainKitCLICore

/// The Open Inference Protocol v2 REST endpoints over one or more ``ModelSlot``s.
///
/// | route | answer |
/// |---|---|
/// | `GET /v2/health/live`, `/v2/health/ready` | 200 (ready once every model is loaded; 503 while shutting down) |
/// | `GET /v2` | server metadata: name, version, extensions |
/// | `GET /v2/models/{name}[/versions/{v}]` | model metadata: inputs, outputs, datatypes, shapes |
/// | `GET /v2/models/{name}[/versions/{v}]/ready` | 200 when served |
/// | `POST /v2/models/{name}[/versions/{v}]/infer` | the outputs, or a 4xx/5xx with `{"error": …}` |
/// | `GET /metrics` | Prometheus text |
struct InferenceServer: Sendable {
    struct Options: Sendable {
        var maxBodyBytes = 16 << 20
        var token: String?
    }

    let slots: [String: ModelSlot]
    let options: Options
    let metrics: ServerMetrics
    let logger: Logger
    let shuttingDown: ManagedAtomicFlag

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        if let token = options.token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        router.get("/v2/health/live") { _, _ in Self.json(.ok, "{\"live\":true}") }
        router.get("/v2/health/ready") { _, _ in
            shuttingDown.isSet ? Self.error(InferenceError.unavailable("the server is shutting down"))
                               : Self.json(.ok, "{\"ready\":true}")
        }
        router.get("/v2") { _, _ in
            Self.json(.ok, "{\"name\":\"trainkit\",\"version\":\(InferenceJSON.quoted(TrainKitVersion.current)),\"extensions\":[]}")
        }
        router.get("/metrics") { _, _ in
            for (name, slot) in slots { metrics.queueDepth(model: name, slot.current.queueDepth) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        for prefix in ["/v2/models/:name", "/v2/models/:name/versions/:version"] {
            router.get(RouterPath(prefix)) { _, context in
                do { return Self.json(.ok, try slot(context).current.model.metadataJSON) } catch { return Self.error(error) }
            }
            router.get(RouterPath(prefix + "/ready")) { _, context in
                do {
                    return Self.json(.ok, "{\"name\":\(InferenceJSON.quoted(try slot(context).name)),\"ready\":true}")
                } catch {
                    return Self.error(error)
                }
            }
            router.post(RouterPath(prefix + "/infer")) { request, context in await infer(request, context) }
        }
        return router
    }

    /// The slot a path names (404 for an unknown model or version).
    private func slot(_ context: BasicRequestContext) throws(InferenceError) -> ModelSlot {
        let name = context.parameters.get("name") ?? ""
        guard let slot = slots[name] else {
            throw .notFound("no model '\(name)' (served: \(slots.keys.sorted().joined(separator: ", ")))")
        }
        if let version = context.parameters.get("version"), version != slot.current.model.version {
            throw .notFound("model '\(name)' has no version '\(version)' (served: \(slot.current.model.version))")
        }
        return slot
    }

    private func infer(_ request: Request, _ context: BasicRequestContext) async -> Response {
        let start = ContinuousClock.now
        let name = context.parameters.get("name") ?? ""
        let response: Response
        do {
            let slot = try slot(context)
            if let length = request.headers[.contentLength].flatMap(Int.init), length > options.maxBodyBytes {
                throw InferenceError(status: 413, "the body has \(length) bytes; the limit is \(options.maxBodyBytes)")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: options.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw InferenceError(status: 413, "the body is larger than the limit of \(options.maxBodyBytes) bytes")
            }
            let parsed = try InferenceRequest.parse(Array(buffer.readableBytesView))
            let model = slot.current.model
            let known = Set(model.outputSignature.map(\.name))
            if let wanted = parsed.outputs, let unknown = wanted.first(where: { !known.contains($0) }) {
                throw InferenceError.badRequest("unknown output '\(unknown)'; the model's outputs are \(model.outputSignature.map(\.name).joined(separator: ", "))")
            }
            let rows = try model.rows(parsed)
            var outputs = try await slot.infer(rows)
            if let wanted = parsed.outputs { outputs = wanted.compactMap { w in outputs.first(where: { $0.name == w }) } }
            response = Self.json(.ok, InferenceResponse.json(model: name, version: model.version, id: parsed.id, outputs: outputs))
        } catch {
            response = Self.error(error)
            let status = Int(response.status.code)
            if status >= 500 {
                logger.error("inference failed", metadata: ["model": "\(name)", "status": "\(status)", "error": "\(error)"])
            } else {
                logger.debug("bad request", metadata: ["model": "\(name)", "status": "\(status)", "error": "\(error)"])
            }
        }
        metrics.request(model: name, code: Int(response.status.code), duration: start.duration(to: .now))
        return response
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The v2 error body for `error`: an ``InferenceError``'s status, 503s with `Retry-After: 1`, anything else 500.
    static func error(_ error: any Error) -> Response {
        let e = error as? InferenceError ?? InferenceError(status: 500, "\(error)")
        var response = json(HTTPResponse.Status(code: e.status), e.body)
        if e.status == 503 { response.headers[.retryAfter] = "1" }
        return response
    }
}

/// A thread-safe boolean that flips once.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

/// `Authorization: Bearer <token>` on every route but the health checks; 401 otherwise (the token is never logged).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/v2/health/") { return try await next(request, context) }
        let given = request.headers[.authorization] ?? ""
        guard Self.equal(Array(given.utf8), Array(("Bearer " + token).utf8)) else {
            var response = InferenceServer.error(InferenceError(status: 401, given.isEmpty
                ? "this server needs 'Authorization: Bearer <token>'" : "the bearer token is wrong"))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }

    /// Compares in time independent of where the bytes differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return diff == 0
    }
}
