import Foundation
import Testing
@testable import TrainKitData

/// The payload of every sample in Resources/gzip (mirrors `payload()` in Resources/make_samples.py).
private let samplePayload: [UInt8] = {
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    var out = [UInt8]()
    for i in 0..<800 { out += Array("line \(i): \(i * i % 9973) \(words[i % 7]) \(words[(i * 3) % 7])\n".utf8) }
    var x = 12345
    for _ in 0..<8000 {
        x = (x * 1_103_515_245 + 12345) % (1 << 31)
        let r = (x >> 16) & 0xFF
        out.append(UInt8((r * r) >> 8))
    }
    return out
}()

private func gzipError(_ bytes: [UInt8]) -> String? {
    do {
        _ = try Gzip.decompress(bytes, file: "sample.gz")
        return nil
    } catch {
        return "\(error)"
    }
}

@Test func crc32MatchesTheStandardCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
    let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
    let split = long.withUnsafeBufferPointer { b in
        CRC32.checksum(UnsafeBufferPointer(rebasing: b[500...]), initial: CRC32.checksum(UnsafeBufferPointer(rebasing: b[..<500])))
    }
    #expect(split == CRC32.checksum(long))
}

@Test(arguments: ["dynamic.gz", "fixed.gz", "multimember.gz"])
func gzipSamplesDecompressToThePayload(name: String) throws {
    let bytes = try FileBytes.read(TestFiles.resource("gzip/\(name)"))
    #expect(try Gzip.decompress(bytes, file: name) == samplePayload)
}

@Test func storedBlocksDecompress() throws {
    let bytes = try FileBytes.read(TestFiles.resource("gzip/stored.gz"))
    #expect(try Gzip.decompress(bytes) == Array(samplePayload[..<3000]))
    #expect(try FileBytes.readDecompressing(TestFiles.resource("gzip/stored.gz")) == Array(samplePayload[..<3000]))
}

@Test(arguments: ["dynamic.gz", "fixed.gz", "stored.gz", "multimember.gz"])
func truncatedGzipIsAnErrorNamingTheFile(name: String) throws {
    let bytes = try FileBytes.read(TestFiles.resource("gzip/\(name)"))
    var cuts = Array(stride(from: 19, to: bytes.count, by: 211))
    cuts += [bytes.count - 1, bytes.count - 4, bytes.count - 8, bytes.count - 9, bytes.count / 2]
    for cut in cuts {
        guard let message = gzipError(Array(bytes[..<cut])) else {
            Issue.record("\(name) cut to \(cut) of \(bytes.count) bytes decompressed without error")
            continue
        }
        #expect(message.hasPrefix("sample.gz: gzip: "), "\(message)")
        // The second member of a multi-member file may be cut in its header; every other cut is "truncated".
        #expect(message.contains("truncated"), "\(name) cut to \(cut): \(message)")
    }
}

@Test func corruptGzipIsDetected() throws {
    var bytes = try FileBytes.read(TestFiles.resource("gzip/dynamic.gz"))
    bytes[bytes.count - 6] ^= 0x01  // the CRC-32
    #expect(gzipError(bytes)?.contains("CRC-32 mismatch") == true)
    bytes[bytes.count - 6] ^= 0x01
    bytes[bytes.count - 2] ^= 0x01  // ISIZE
    #expect(gzipError(bytes)?.contains("size mismatch") == true)
    bytes[bytes.count - 2] ^= 0x01
    bytes[1] = 0x8C
    #expect(gzipError(bytes)?.contains("bad magic 1f 8c") == true)
    bytes[1] = 0x8B
    bytes[2] = 7
    #expect(gzipError(bytes)?.contains("compression method 7") == true)
    bytes[2] = 8
    // Flipping bits inside the stream gives an error, never a crash or silent success.
    for position in stride(from: 30, to: bytes.count - 8, by: 397) {
        var damaged = bytes
        damaged[position] ^= 0x5A
        #expect(gzipError(damaged) != nil, "damage at byte \(position) went unnoticed")
    }
}

@Test(.enabled(if: TestFiles.haveDatasets))
func gzipDecompressesMNISTWithMatchingTrailer() throws {
    let path = TestFiles.datasets + "/mnist/train-labels-idx1-ubyte.gz"
    let bytes = try FileBytes.readDecompressing(path)
    #expect(bytes.count == 60_008)
}

/// XLEN 510 (fe 01): the extra field is skipped as one little-endian length, not as `(2 + 0xfe) | 0x100`.
@Test func gzipSkipsAnExtraFieldWhoseLowLengthByteCarries() throws {
    let payload = Array("hello\n".utf8)
    let header: [UInt8] = [0x1F, 0x8B, 8, 0x04, 0, 0, 0, 0, 0, 0xFF, 0xFE, 0x01] + [UInt8](repeating: 0x78, count: 510)
    let stored: [UInt8] = [0x01, 6, 0, 0xF9, 0xFF] + payload  // one final stored block
    let crc = CRC32.checksum(payload)
    let trailer = (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) } + [6, 0, 0, 0]
    #expect(try Gzip.decompress(header + stored + trailer) == payload)
}
