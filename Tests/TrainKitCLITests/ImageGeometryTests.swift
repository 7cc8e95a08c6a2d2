import Foundation
import Testing
@testable import TrainKitCLICore

/// Image shapes are checked before the first epoch: test images must match the training images, and the images
/// must be large enough for the convolution stages of `model.channels`.
@Suite struct ImageGeometryTests {
    /// Writes `count` `size`×`size` images with labels `i % 2` as `PREFIX-images-idx3-ubyte` / `PREFIX-labels-idx1-ubyte`.
    func writeIDX(_ count: Int, size: Int, prefix: String, in dir: URL) throws {
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let images = [0, 0, 0x08, 3] + be(count) + be(size) + be(size) + (0..<count * size * size).map { UInt8($0 * 37 % 256) }
        let labels = [0, 0, 0x08, 1] + be(count) + (0..<count).map { UInt8($0 % 2) }
        try Data(images).write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
        try Data(labels).write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
    }

    func train(size: Int, testSize: Int? = nil, channels: String) throws -> CLIResult {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let idx = dir.appendingPathComponent("idx")
        try FileManager.default.createDirectory(at: idx, withIntermediateDirectories: true)
        try writeIDX(16, size: size, prefix: "train", in: idx)
        if let testSize { try writeIDX(4, size: testSize, prefix: "t10k", in: idx) }
        let config = """
            data: {train: \(idx.path), validation_split: 0.25}
            model: {kind: cnn, channels: \(channels), hidden: [4]}
            training: {epochs: 1, batch_size: 8, progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """
        return trainkit(["train", try write(config, to: "cnn.yaml", in: dir)])
    }

    @Test func d5TestImagesOfAnotherShapeAreDataError() throws {
        let result = try train(size: 8, testSize: 4, channels: "[2]")
        #expect(result.status == 3)
        #expect(result.diagnostics.contains("t10k-images-idx3-ubyte"))
        #expect(result.diagnostics.contains("train-images-idx3-ubyte"))
        #expect(result.diagnostics.contains("1×4×4") && result.diagnostics.contains("1×8×8"))
    }

    @Test func d5ImagesTooSmallForChannels() throws {
        let result = try train(size: 8, channels: "[2, 2, 2, 2]")  // four halvings need 16×16
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("model.channels"))
        #expect(result.diagnostics.contains("8×8"))
    }

    @Test func d5OnePixelImages() throws {
        let result = try train(size: 1, channels: "[2]")
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("model.channels") && result.diagnostics.contains("1×1"))
    }

    @Test func d5ImagesLargeEnoughTrain() throws {
        let result = try train(size: 8, testSize: 8, channels: "[2, 2, 2]")  // 8 → 4 → 2 → 1
        #expect(result.status == 0, "\(result.diagnostics)")
    }

    @Test func d5ResnetBatchOfOneOneByOneMapIsConfigError() throws {
        var config = RunConfig()
        config.model.kind = .resnet
        config.model.channels = [2, 2]
        config.training.batchSize = 1
        let images = ImagePreprocessing(normalization: nil, flatten: false, imageShape: [1, 2, 2])
        #expect(throws: ConfigError.self) { try ImageGeometry.check(config, images: images) }
        config.training.batchSize = 2
        try ImageGeometry.check(config, images: images)
    }
}
