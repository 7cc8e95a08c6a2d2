import Foundation
import Testing

@testable import TrainKitCLICore

/// IDX label files whose values are not class indices stop `train` with a data error (exit 3) naming the file.
/// Serialized: training seeds the process-wide random stream.
@Suite(.serialized) struct IDXLabelErrorTests {
    /// `writeHalvesIDX`'s training set with label `index` replaced by `value`, stored as `type` (0x08 uint8,
    /// 0x09 int8); returns a config training a small CNN on it.
    func config(labelType type: UInt8, index: Int, value: UInt8, in dir: URL) throws -> String {
        try writeHalvesIDX(64, prefix: "train", seed: 0, in: dir)
        let labels = dir.appendingPathComponent("train-labels-idx1-ubyte")
        var bytes = [UInt8](try Data(contentsOf: labels))
        bytes[2] = type
        bytes[8 + index] = value
        try Data(bytes).write(to: labels)
        return try write("""
            data: {train: \(dir.path), validation_split: 0.25}
            model: {kind: cnn, channels: [2], hidden: [4]}
            training: {epochs: 1, batch_size: 16, progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """, to: "cnn.yaml", in: dir)
    }

    /// D6 (3.09, 3.10): one label 255 among classes 0 and 1 would make a 256-class model; an int8 label -1 used
    /// to be reported as a `training.loss` config error. Both are data errors naming the labels file and index.
    @Test func d6IDXLabelsAreDataErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels = dir.appendingPathComponent("train-labels-idx1-ubyte").path

        let stray = trainkit(["train", try config(labelType: 0x08, index: 5, value: 255, in: dir)])
        #expect(stray.status == 3, "\(stray.diagnostics)")
        #expect(stray.diagnostics.contains("\(labels): IDX: label 255 at index 5 implies 256 classes"), "\(stray.diagnostics)")

        let negative = trainkit(["train", try config(labelType: 0x09, index: 7, value: 0xFF, in: dir)])
        #expect(negative.status == 3, "\(negative.diagnostics)")
        #expect(negative.diagnostics.contains("\(labels): IDX: label -1 at index 7 is not a class index"),
                "\(negative.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/model").path))
    }
}
