import Foundation
import Testing
@testable import TrainKitCLICore

/// `trainkit export`: where the file goes, the exit statuses, and that a new run over an exported one moves the
/// old model.onnx aside with the old model. scripts/check-onnx runs the files in onnxruntime. Serialized:
/// training seeds the process-wide random stream.
@Suite(.serialized) struct ExportCommandTests {
    @Test func exportWritesModelONNXBesideModelJSONOrToOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(task: "regression", epochs: 1, output: run), to: "wine.yaml", in: dir)
        #expect(trainkit(["train", config]).status == 0)

        let result = trainkit(["export", run.path, "--format", "onnx"])
        #expect(result.status == 0)
        let file = run.appendingPathComponent("model/model.onnx")
        #expect(result.diagnostics.contains(file.path))
        let bytes = try Data(contentsOf: file)
        // The protobuf holds the op types and the input column names as plain strings.
        for text in ["Gemm", "alcohol", "prediction", "trainkit"] {
            #expect(bytes.range(of: Data(text.utf8)) != nil, "model.onnx lacks \(text)")
        }

        let custom = dir.appendingPathComponent("wine.onnx")
        #expect(trainkit(["export", run.path, "--output", custom.path]).status == 0)
        #expect(try Data(contentsOf: custom) == bytes)  // the same model, byte for byte

        // A new run over the exported one keeps working and takes the stale model.onnx away from model/.
        #expect(trainkit(["train", config]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func exportOfAMissingOrDamagedModelFailsWithItsStatus() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = trainkit(["export", dir.appendingPathComponent("nothing").path])
        #expect(missing.status == 2)
        #expect(missing.diagnostics.contains("no such run directory"))

        let model = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try write("{", to: "model.json", in: model)
        let damaged = trainkit(["export", dir.path])
        #expect(damaged.status == 3)  // a data error naming the file
        #expect(damaged.diagnostics.contains("model.json"))
        #expect(!FileManager.default.fileExists(atPath: model.appendingPathComponent("model.onnx").path))

        #expect(trainkit(["export", dir.path, "--format", "coreml"]).status == 2)
    }
}
