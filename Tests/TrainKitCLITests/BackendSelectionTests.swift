import Foundation
import Testing

/// `TRAINKIT_BACKEND` picks the device a `trainkit` process computes on; an unknown name is a usage error.
@Suite struct BackendSelectionTests {
    @Test func unknownBackendIsAUsageErrorThatListsTheKnownOnes() throws {
        let dir = try temporaryDirectory()
        let config = try write(wineConfig(epochs: 1, output: dir.appendingPathComponent("run")), to: "wine.yaml", in: dir)
        let child = try TrainkitProcess(["train", config], logs: dir, name: "tpu", environment: ["TRAINKIT_BACKEND": "tpu"])
        #expect(child.wait() == 2)
        let message = child.diagnostics
        #expect(message.contains("unknown device 'tpu'"), "\(message)")
        #expect(message.contains("cpu") && message.contains("reference"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path))
    }

    /// The same seed trains to the same metrics on the CPU kernels and on the plain-Swift reference backend
    /// (up to rounding: the two sum in different orders).
    @Test func referenceBackendTrainsLikeTheCPU() throws {
        let dir = try temporaryDirectory()
        var metrics: [String: [String: Double]] = [:]
        for backend in ["cpu", "reference"] {
            let config = try write(wineConfig(task: "regression", epochs: 2, output: dir.appendingPathComponent(backend)),
                                   to: "\(backend).yaml", in: dir)
            let child = try TrainkitProcess(["train", config, "--json"], logs: dir, name: backend,
                                            environment: ["TRAINKIT_BACKEND": backend])
            #expect(child.wait(timeout: 300) == 0, "\(child.diagnostics)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: child.stdout)) as? [String: Any]
            metrics[backend] = try #require(json?["metrics"] as? [String: Double])
        }
        let cpu = try #require(metrics["cpu"]), reference = try #require(metrics["reference"])
        #expect(Set(cpu.keys) == Set(reference.keys))
        for (name, value) in cpu where !name.hasSuffix("_seconds") {
            let other = try #require(reference[name])
            #expect(abs(value - other) <= 1e-3 * max(1, abs(value)), "\(name): cpu \(value), reference \(other)")
        }
    }
}
