import Foundation
import Testing
@testable import TrainKitTracking

@Suite struct CRC32CTests {
    /// The CRC catalogue's check value of CRC-32C.
    @Test func checkValueOfTheDigits() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// RFC 3720 (iSCSI), appendix B.4: 32 zero bytes, 32 0xFF bytes, 0...31 ascending and 31...0 descending.
    @Test func iscsiVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// mask(c) = rotr15(c) + 0xa282ead8: mask(0) is the delta, mask(1) rotates the bit to position 17.
    @Test func maskRotatesAndAddsTheDelta() {
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
        #expect(CRC32C.mask(1) == (1 << 17) + 0xA282_EAD8)
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF, 0x8000_0000] {
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
            #expect(CRC32C.mask(crc) != crc)
        }
    }
}
