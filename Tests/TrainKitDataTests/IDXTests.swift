import Foundation
import Testing
import TrainKitCore
@testable import TrainKitData

private func idxHeader(_ magic: [UInt8], _ dims: [Int]) -> [UInt8] {
    magic + dims.flatMap { d in [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
}

private func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

@Test func idxSampleLoadsAsScaledImagesAndLabels() throws {
    let data = try IDXDataset.load(images: TestFiles.resource("idx/images-idx3-ubyte.gz"),
                                   labels: TestFiles.resource("idx/labels-idx1-ubyte"))
    #expect(data.count == 3)
    #expect(data.features.shape == [3, 1, 2, 3])
    #expect(data.features.dtype == .float32 && data.labels.dtype == .int64)
    #expect(data.labels.toArray(as: Int64.self) == [7, 0, 9])
    let first = data[0].features.toArray()
    #expect(first == [0, 1, Float(128) / 255, Float(1) / 255, Float(2) / 255, Float(3) / 255])
    let flat = try IDXDataset.load(images: TestFiles.resource("idx/images-idx3-ubyte.gz"),
                                   labels: TestFiles.resource("idx/labels-idx1-ubyte"), flatten: true)
    #expect(flat.features.shape == [3, 6])
}

@Test func idxReadsWiderElementTypes() throws {
    let int32 = idxHeader([0, 0, 0x0C, 1], [3]) + [0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFE, 0, 1, 0, 0]
    #expect(try IDXArray(bytes: int32).int64Tensor().toArray(as: Int64.self) == [5, -2, 65536])
    let float32 = idxHeader([0, 0, 0x0D, 2], [1, 2]) + [0x3F, 0x80, 0, 0, 0xC0, 0x20, 0, 0]
    #expect(try IDXArray(bytes: float32).floatTensor().toArray() == [1, -2.5])
}

@Test func wrongIDXMagicIsAnErrorNamingTheFile() {
    let path = TestFiles.write(idxHeader([0x12, 0x34, 0x08, 1], [2]) + [1, 2], name: "bad-magic-idx1-ubyte")
    let message = errorMessage { _ = try IDXArray(contentsOf: path) }
    #expect(message?.contains(path) == true)
    #expect(message?.contains("wrong magic number 0x12340801") == true, "\(message ?? "no error")")
    let badType = TestFiles.write(idxHeader([0, 0, 0x07, 1], [2]) + [1, 2], name: "bad-type")
    #expect(errorMessage { _ = try IDXArray(contentsOf: badType) }?.contains("unknown element type 0x07") == true)
}

@Test func idxSizeMismatchAndCountMismatchAreErrors() {
    let short = TestFiles.write(idxHeader([0, 0, 0x08, 3], [2, 2, 2]) + [UInt8](repeating: 0, count: 7), name: "short")
    let message = errorMessage { _ = try IDXArray(contentsOf: short) }
    #expect(message?.contains("header shape [2, 2, 2] needs 8 data bytes, the file has 7") == true, "\(message ?? "")")
    let labels = TestFiles.write(idxHeader([0, 0, 0x08, 1], [2]) + [1, 2], name: "labels")
    let countMismatch = errorMessage {
        _ = try IDXDataset.load(images: TestFiles.resource("idx/images-idx3-ubyte.gz"), labels: labels)
    }
    #expect(countMismatch?.contains("2 labels for 3 images") == true)
    let missing = errorMessage { _ = try IDXDataset.mnist(directory: "/nonexistent") }
    #expect(missing?.contains("/nonexistent/train-images-idx3-ubyte.gz: cannot read: no such file") == true)
}

@Test(.enabled(if: TestFiles.haveDatasets))
func mnistAndFashionMNISTLoadWithTheirSourceCounts() throws {
    let mnist = try IDXDataset.mnist(directory: TestFiles.datasets + "/mnist")
    #expect(mnist.train.count == 60_000 && mnist.test.count == 10_000)
    #expect(mnist.train.features.shape == [60_000, 1, 28, 28])
    let labels = mnist.train.labels.toArray(as: Int64.self)
    let perClass = (0..<10).map { c in labels.filter { $0 == c }.count }
    #expect(perClass == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    let pixels = mnist.test.features.toArray()
    #expect(pixels.min() == 0 && pixels.max() == 1)
    let fashion = try IDXDataset.fashionMNIST(directory: TestFiles.datasets + "/fashion-mnist", flatten: true)
    #expect(fashion.train.count == 60_000 && fashion.test.count == 10_000)
    #expect(fashion.train.features.shape == [60_000, 784])
    let fashionLabels = fashion.test.labels.toArray(as: Int64.self)
    #expect((0..<10).allSatisfy { c in fashionLabels.filter { $0 == c }.count == 1000 })
}

/// D6: header dimensions whose product overflows are a named error, not a trap.
@Test func d6IDXHeaderOverflow() {
    let bytes = idxHeader([0, 0, 0x08, 3], [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]) + [1, 2, 3]
    let message = errorMessage { _ = try IDXArray(bytes: bytes, file: "idx/train-images-idx3-ubyte") }
    #expect(message?.contains("idx/train-images-idx3-ubyte") == true, "\(message ?? "no error")")
    #expect(message?.contains("more bytes than a file can hold") == true, "\(message ?? "no error")")
}

/// D6: labels that are not class indices (NaN, infinite, fractional, negative, huge) are refused with the file and
/// the index of the first bad label; a stray large label among a few classes is refused for training.
@Test func d6IDXLabelValues() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk-idx-labels-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let images = dir.appendingPathComponent("images").path
    try Data(idxHeader([0, 0, 0x08, 3], [4, 1, 1]) + [1, 2, 3, 4]).write(to: URL(fileURLWithPath: images))
    func labels(_ type: UInt8, _ values: [[UInt8]]) throws -> String {
        let path = dir.appendingPathComponent("labels-\(type)-\(UUID().uuidString)").path
        try Data(idxHeader([0, 0, type, 1], [values.count]) + values.flatMap { $0 }).write(to: URL(fileURLWithPath: path))
        return path
    }
    func f64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
    func i32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    let cases: [(String, String)] = [
        (try labels(0x0E, [f64(0), f64(1), f64(.nan), f64(2)]), "label nan at index 2"),
        (try labels(0x0E, [f64(0), f64(1e30), f64(1), f64(2)]), "at index 1"),
        (try labels(0x0E, [f64(0), f64(1), f64(2), f64(2.5)]), "label 2.5 at index 3"),
        (try labels(0x0E, [f64(0), f64(-.infinity), f64(1), f64(2)]), "label -inf at index 1"),
        (try labels(0x0C, [i32(0), i32(1), i32(2_000_000_000), i32(2)]), "label 2000000000 at index 2"),
        (try labels(0x09, [[0], [1], [0xFF], [2]]), "label -1 at index 2"),
    ]
    for (path, expected) in cases {
        let message = errorMessage { _ = try IDXDataset.load(images: images, labels: path) }
        #expect(message?.hasPrefix(path) == true && message?.contains(expected) == true, "\(message ?? "no error")")
    }
    let good = try IDXDataset.load(images: images, labels: try labels(0x0E, [f64(3), f64(1), f64(0), f64(2)]))
    #expect(good.labels.toArray(as: Int64.self) == [3, 1, 0, 2])

    #expect(try IDXLabels.classCount(Array(0...9), file: "l") == 10)
    #expect(try IDXLabels.classCount([0, 0, 9], file: "l") == 10)  // 10 classes from 2 distinct labels: accepted
    let stray = errorMessage { _ = try IDXLabels.classCount(Array(0...9) + [255], file: "train-labels") }
    #expect(stray?.contains("train-labels: IDX: label 255 at index 10 implies 256 classes") == true, "\(stray ?? "")")
}
