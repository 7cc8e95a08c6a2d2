import Prometheus

/// The server's Prometheus metrics (`GET /metrics`, text exposition format):
/// `trainkit_inference_requests_total{model, code}`, `trainkit_inference_request_duration_seconds{model}` (a
/// histogram of the whole request, parsing to response), `trainkit_inference_batch_rows{model}` (rows per model
/// call) and `trainkit_inference_queue_depth{model}` (requests waiting, read at scrape time).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    func request(model: String, code: Int, duration: Duration) {
        registry.makeCounter(name: "trainkit_inference_requests_total", labels: [("model", model), ("code", String(code))]).increment()
        registry.makeDurationHistogram(name: "trainkit_inference_request_duration_seconds", labels: [("model", model)],
                                       buckets: Self.latencyBuckets)
            .record(duration)
    }

    func batch(model: String, rows: Int) {
        registry.makeValueHistogram(name: "trainkit_inference_batch_rows", labels: [("model", model)], buckets: Self.batchBuckets)
            .record(Double(rows))
    }

    func queueDepth(model: String, _ depth: Int) {
        registry.makeGauge(name: "trainkit_inference_queue_depth", labels: [("model", model)]).set(Double(depth))
    }

    func text() -> String { registry.emitToString() }
}
