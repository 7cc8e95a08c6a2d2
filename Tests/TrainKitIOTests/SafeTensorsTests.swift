import Foundation
import Testing
import TrainKitCore
@testable import TrainKitIO

@Suite struct SafeTensorsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors/reference.safetensors")

    /// The same tensors as Tools/make_safetensors_fixture.py.
    static var referenceTensors: [String: Tensor] {
        [
            "weight": Tensor((0..<6).map { Float($0) / 4 }, shape: [2, 3]),
            "ids": Tensor([3, -1, 7] as [Int64]),
            "scale": Tensor([2.5] as [Double], shape: []),
            "mask": Tensor([true, false]),
            "counts": Tensor([1, 2, 3, 4] as [Int32], shape: [2, 2]),
        ]
    }

    @Test func writerMatchesTheReferenceWriterByteForByte() throws {
        let reference = try Data(contentsOf: Self.fixture)
        let ours = SafeTensors.encode(Self.referenceTensors, metadata: ["format": "np", "note": "TrainKit fixture"])
        #expect(ours == reference)
    }

    @Test func readerLoadsTheReferenceFile() throws {
        let (tensors, metadata) = try SafeTensors.read(from: Self.fixture)
        #expect(metadata == ["format": "np", "note": "TrainKit fixture"])
        #expect(tensors["weight"]!.shape == [2, 3])
        #expect(tensors["weight"]!.toArray() == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(tensors["ids"]!.toArray(as: Int64.self) == [3, -1, 7])
        #expect(tensors["scale"]!.shape == [] && tensors["scale"]!.item() == 2.5)
        #expect(tensors["mask"]!.toArray(as: Bool.self) == [true, false])
        #expect(tensors["counts"]!.dtype == .int32)
    }

    @Test func roundTripKeepsValuesAndAlignment() throws {
        let t: [String: Tensor] = ["a": Tensor.normal([3, 5], key: RandomKey(seed: 1)), "b.c": Tensor.normal([7], key: RandomKey(seed: 2)).T,
                                   "empty": Tensor.zeros([0, 4]), "x": Tensor.normal([2, 2], key: RandomKey(seed: 3)).T]
        let data = SafeTensors.encode(t)
        let n = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(n % 8 == 0)
        let back = try SafeTensors.decode(data).tensors
        for (k, v) in t { #expect(back[k]!.shape == v.shape && back[k]!.toArray() == v.toArray(), "\(k)") }
    }

    func expectError(_ data: Data, contains text: String) {
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(data, path: "model.safetensors") }
        do {
            _ = try SafeTensors.decode(data, path: "model.safetensors")
        } catch {
            let message = "\(error)"
            #expect(message.contains(text) && message.contains("model.safetensors"), "message was: \(message)")
        }
    }

    static func file(header: String, buffer: Int) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(header.utf8))
        d.append(Data(count: buffer))
        return d
    }

    @Test func corruptFilesGetNamedErrors() throws {
        let good = try Data(contentsOf: Self.fixture)
        expectError(good.prefix(5), contains: "shorter than the 8-byte header length")
        expectError(good.prefix(good.count - 3), contains: "truncated")
        expectError(good.prefix(100), contains: "runs past the end of the file")
        var huge = good
        huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        expectError(huge, contains: "header too large")
        expectError(Self.file(header: "[1,2]   ", buffer: 0), contains: "does not start with '{'")
        expectError(Self.file(header: "{\"a\":  ", buffer: 0), contains: "not valid JSON")
        expectError(Self.file(header: "{\"a\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}", buffer: 1),
                    contains: "unsupported dtype Q8")
        expectError(Self.file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", buffer: 4),
                    contains: "do not match shape [2]")
        expectError(Self.file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", buffer: 8),
                    contains: "hole")
        expectError(Self.file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", buffer: 8),
                    contains: "not fully covered")
        expectError(Self.file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", buffer: 8),
                    contains: "overlaps")
        expectError(Self.file(header: "{\"__metadata__\":{\"k\":1}}", buffer: 0), contains: "not a string")
    }

    /// D7: a shape whose element count or byte size overflows `Int` is refused by name, not trapped on.
    @Test func d7SafetensorsShapeOverflow() throws {
        func decode(_ entry: String) -> SafeTensorsError? {
            let data = Self.file(header: "{\"w\":\(entry)}", buffer: 16)
            do { _ = try SafeTensors.decode(data, path: "m/weights.safetensors") } catch let e as SafeTensorsError {
                return e
            } catch { return nil }
            return nil
        }
        for entry in [
            "{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}",  // 2^62 · 4 elements
            "{\"dtype\":\"F64\",\"shape\":[2305843009213693953],\"data_offsets\":[0,16]}",  // (2^61 + 1) · 8 bytes
            "{\"dtype\":\"F32\",\"shape\":[3037000500,3037000500,3037000500],\"data_offsets\":[0,16]}",
        ] {
            let error = try #require(decode(entry), "\(entry)")
            #expect(error.path == "m/weights.safetensors")
            #expect(error.reason.contains("entry \"w\"") && error.reason.contains("more bytes than a file can hold"),
                    "\(error)")
        }
        #expect(CheckedSize.bytes(shape: [2, 3], elementSize: 4) == 24)
        #expect(CheckedSize.bytes(shape: [], elementSize: 8) == 8)
        #expect(CheckedSize.bytes(shape: [Int.max / 2 + 1], elementSize: 2) == nil)
    }

    @Test func atomicWriteReplacesWholeFilesOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk-atomic-\(UUID().uuidString)")
        let url = dir.appendingPathComponent("w.safetensors")
        try SafeTensors.write(["w": Tensor([1, 2] as [Float])], to: url)
        try SafeTensors.write(["w": Tensor([3, 4] as [Float])], to: url)
        #expect(try SafeTensors.read(from: url).tensors["w"]!.toArray() == [3, 4])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // A write that cannot complete (target is a directory) fails and leaves the previous file intact.
        let blocked = dir.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("child"), withIntermediateDirectories: true)
        #expect(throws: FileWriteError.self) { try SafeTensors.write(["w": Tensor([5] as [Float])], to: blocked) }
        #expect(try SafeTensors.read(from: url).tensors["w"]!.toArray() == [3, 4])
        try? FileManager.default.removeItem(at: dir)
    }
}
