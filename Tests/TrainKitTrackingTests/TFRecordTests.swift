import Foundation
import Testing
@testable import TrainKitTracking

@Suite struct TFRecordTests {
    /// A frame is 8 bytes of length, its masked CRC, the data, the data's masked CRC (all little-endian).
    @Test func frameLayout() {
        let payload = Data("123456789".utf8)
        let frame = [UInt8](TFRecord.frame(payload))
        #expect(frame.count == 8 + 4 + 9 + 4)
        #expect(Array(frame[0..<8]) == [9, 0, 0, 0, 0, 0, 0, 0])
        let lengthCRC = CRC32C.mask(CRC32C.checksum([9, 0, 0, 0, 0, 0, 0, 0]))
        #expect(Array(frame[8..<12]) == withUnsafeBytes(of: lengthCRC.littleEndian) { Array($0) })
        #expect(Array(frame[12..<21]) == Array(payload))
        #expect(Array(frame[21..<25]) == withUnsafeBytes(of: CRC32C.mask(0xE306_9283).littleEndian) { Array($0) })
    }

    @Test func recordsReadBackAndATruncatedLastRecordIsDropped() throws {
        var file = Data()
        for text in ["a", "", String(repeating: "x", count: 300)] { file.append(TFRecord.frame(Data(text.utf8))) }
        #expect(try TFRecord.records(in: file).map { String(decoding: $0, as: UTF8.self) }
                == ["a", "", String(repeating: "x", count: 300)])
        let truncated = file.prefix(file.count - 10)
        #expect(try TFRecord.records(in: truncated).count == 2)
    }

    @Test func aFlippedByteIsACorruptRecordNamingItsOffset() throws {
        var file = TFRecord.frame(Data("first".utf8))
        let second = file.count
        file.append(TFRecord.frame(Data("second".utf8)))
        file[second + 14] ^= 0x01  // inside the second record's data
        #expect(throws: TrackingError.corruptRecord(offset: second, reason: "the data's checksum does not match")) {
            try TFRecord.records(in: file)
        }
    }
}
