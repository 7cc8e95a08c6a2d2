import Foundation
import Testing
import TrainKit
@testable import TrainKitTracking

@Suite struct MLflowClientTests {
    /// A closed port on loopback refuses at once: training completes every epoch and one warning is reported
    /// for the whole run (not one per epoch or per call).
    @Test func anUnreachableServerWarnsOnceAndTrainingCompletes() throws {
        let warnings = WarningLines()
        let client = try MLflowClient(trackingURI: "http://127.0.0.1:1", timeout: 5)
        let logger = MLflowLogger(client: client, experiment: "unreachable", runName: "run",
                                  params: ["training.optimizer.lr": "0.1"],
                                  warning: TrackingWarning(sink: { warnings.append($0) }))
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [logger], progress: .silent)
        let history = try trainer.fit(blobs(count: 20, seed: 3), epochs: 3, batchSize: 10)
        logger.finish(status: .finished, finalMetrics: ["train_loss": history.last?["loss"] ?? 0],
                      artifacts: temporaryDirectory("mlflow-artifacts"))
        #expect(history.epochs.count == 3)
        #expect(warnings.lines.count == 1)
        #expect(warnings.lines.first?.hasPrefix("warning: MLflow experiments/get-by-name: http://127.0.0.1:1 unreachable") == true)
        #expect(logger.run == nil)
    }

    @Test func onlyHTTPURLsAreTrackingServers() {
        for bad in ["file:///tmp/mlruns", "127.0.0.1:5000", "", "http://"] {
            #expect(throws: TrackingError.invalidURL(bad)) { try MLflowClient(trackingURI: bad) }
        }
        #expect((try? MLflowClient(trackingURI: "https://mlflow.example.com/prefix")) != nil)
    }

    /// The artifact proxy path of a run served by the tracking server (`--serve-artifacts`).
    @Test func proxiedArtifactPaths() {
        #expect(MLflowClient.proxiedPath("mlflow-artifacts:/1/abc/artifacts") == "1/abc/artifacts")
        #expect(MLflowClient.proxiedPath("mlflow-artifacts://127.0.0.1:5000/1/abc/artifacts") == "1/abc/artifacts")
        #expect(MLflowClient.proxiedPath("/tmp/mlruns/1/abc/artifacts") == nil)
        #expect(MLflowClient.proxiedPath("s3://bucket/1/abc") == nil)
    }

    @Test func artifactFilesSkipHiddenNamesAndSkippedFolders() throws {
        let directory = temporaryDirectory("artifact-files")
        let fm = FileManager.default
        for path in ["a.txt", "model/w.bin", ".trainkit.lock", "checkpoints/step-1/s.json", ".trainkit-previous/x"] {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            fm.createFile(atPath: url.path, contents: Data("x".utf8))
        }
        #expect(MLflowLogger.files(under: directory, skipping: ["checkpoints"]) == ["a.txt", "model/w.bin"])
    }
}
