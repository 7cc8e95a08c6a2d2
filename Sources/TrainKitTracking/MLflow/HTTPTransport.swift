import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP requests over `URLSession`, for the MLflow client: training calls it between epochs, from the
/// training thread, and waits for the answer (at most `timeout` seconds).
final class HTTPTransport: Sendable {
    let timeout: TimeInterval
    private let session: URLSession

    init(timeout: TimeInterval) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 6
        session = URLSession(configuration: configuration)
    }

    /// Sends `request` and returns the status code and body.
    /// - Throws: the network error (refused connection, timeout, unknown host).
    func send(_ request: URLRequest) throws -> (status: Int, body: Data) {
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.result()
    }
}

/// The answer of one request, handed from URLSession's queue to the waiting thread.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        defer { lock.unlock() }
        (self.data, self.response, self.error) = (data, response, error)
    }

    func result() throws -> (status: Int, body: Data) {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (http.statusCode, data ?? Data())
    }
}
