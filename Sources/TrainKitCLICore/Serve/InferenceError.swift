/// A request the server answers with an error: the HTTP status and a message naming what is wrong, sent as the
/// Open Inference Protocol's error body `{"error": "<message>"}`.
public struct InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status code (400, 404, 413, 503, 504, …).
    public var status: Int
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400: the request is malformed or does not fit the model (names, shapes, datatypes, values).
    public static func badRequest(_ message: String) -> InferenceError { InferenceError(status: 400, message) }
    /// 404: no such model or version.
    public static func notFound(_ message: String) -> InferenceError { InferenceError(status: 404, message) }
    /// 503: the queue is full (sent with `Retry-After`) or the server is shutting down.
    public static func unavailable(_ message: String) -> InferenceError { InferenceError(status: 503, message) }
    /// 504: the request waited longer than the per-request timeout.
    public static func timedOut(_ message: String) -> InferenceError { InferenceError(status: 504, message) }

    public var description: String { "\(status): \(message)" }

    /// The error body: `{"error":"…"}`.
    public var body: String { "{\"error\":\(InferenceJSON.quoted(message))}" }
}
