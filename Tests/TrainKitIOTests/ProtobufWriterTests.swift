import Testing
@testable import TrainKitIO

/// The wire format against the encodings worked out in the Protocol Buffers encoding guide
/// (protobuf.dev/programming-guides/encoding).
@Suite struct ProtobufWriterTests {
    func encoded(_ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var w = ProtobufWriter()
        body(&w)
        return w.bytes
    }

    @Test func varintsAndNegativeNumbers() {
        #expect(encoded { $0.int64(1, 150) } == [0x08, 0x96, 0x01])
        #expect(encoded { $0.int64(1, -1) } == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(encoded { $0.bool(2, true) } == [0x10, 0x01])
        #expect(encoded { $0.uint64(16, 1) } == [0x80, 0x01, 0x01])  // a two-byte key
    }

    @Test func lengthDelimitedAndEmbedded() {
        #expect(encoded { $0.string(2, "testing") } == [0x12, 0x07] + Array("testing".utf8))
        #expect(encoded { $0.message(3) { $0.int64(1, 150) } } == [0x1A, 0x03, 0x08, 0x96, 0x01])
        #expect(encoded { $0.bytes(4, [UInt8]()) } == [0x22, 0x00])
    }

    @Test func fixedWidthAndPacked() {
        #expect(encoded { $0.float(1, 1) } == [0x0D, 0x00, 0x00, 0x80, 0x3F])
        #expect(encoded { $0.double(1, 1) } == [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(encoded { $0.packedInt64(4, [3, 270, 86942]) } == [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        #expect(encoded { $0.packedFloat(5, [1, 2]) } == [0x2A, 0x08, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
        #expect(encoded { $0.packedInt64(4, []) }.isEmpty)
    }
}
