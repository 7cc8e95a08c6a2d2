/// gzip (RFC 1952) decompression in plain Swift: no zlib, nothing to install.
///
/// Handles every header field (FEXTRA, FNAME, FCOMMENT, FHCRC) and concatenated members, and checks
/// each member's CRC-32 and ISIZE trailer, so a truncated or corrupted file is an error, never
/// silently short data.
///
/// ```swift
/// let bytes = try Gzip.decompress(compressed, file: "train-images-idx3-ubyte.gz")
/// ```
public enum Gzip {
    /// Whether `bytes` start with the gzip magic `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed contents of a gzip file's bytes.
    /// - Parameter file: the name used in error messages.
    /// - Throws: ``DataError/gzip(file:reason:)`` naming the problem and its byte offset.
    public static func decompress(_ bytes: [UInt8], file: String = "<memory>") throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { input in
            var output = [UInt8]()
            var offset = 0
            repeat {
                let member = try decompressMember(input, at: offset, file: file)
                if output.isEmpty { output = member.bytes } else { output += member.bytes }
                offset = member.end
                // Trailing zero padding after the last member is tolerated, as gzip does.
            } while offset < input.count && input[offset...].contains(where: { $0 != 0 })
            return output
        }
    }

    private static func decompressMember(_ input: UnsafeBufferPointer<UInt8>, at start: Int, file: String) throws
        -> (bytes: [UInt8], end: Int) {
        func fail(_ reason: String) -> DataError { .gzip(file: file, reason: reason) }
        let n = input.count
        guard n - start >= 18 else { throw fail("truncated: \(n - start) bytes at offset \(start) is shorter than a gzip header and trailer") }
        guard input[start] == 0x1F, input[start + 1] == 0x8B else {
            throw fail("bad magic \(hex(input[start], 2)) \(hex(input[start + 1], 2)) at offset \(start) (expected 1f 8b)")
        }
        guard input[start + 2] == 8 else { throw fail("compression method \(input[start + 2]) is not deflate (8)") }
        let flags = input[start + 3]
        guard flags & 0xE0 == 0 else { throw fail("reserved header flags set (\(flags))") }
        var p = start + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard p + 2 <= n else { throw fail("truncated: header extra field") }
            p += 2 + (Int(input[p]) | Int(input[p + 1]) << 8)  // XLEN, little-endian
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while p < n && input[p] != 0 { p += 1 }
            p += 1
        }
        if flags & 0x02 != 0 { p += 2 }  // FHCRC
        guard p < n else { throw fail("truncated: the header runs past the end of the file") }

        // ISIZE of a single-member file is the last 4 bytes: a good size hint.
        // Capped by deflate's largest ratio (about 1032:1): a damaged trailer cannot ask for more.
        let hint = start == 0 ? min(Int(readLE32(input, n - 4)), (n - p) * 1032 + 1024) : 0
        let inflated: (bytes: [UInt8], end: Int)
        do {
            inflated = try Inflater.inflate(input, from: p, sizeHint: hint)
        } catch {
            throw fail("\(error.reason) (at byte \(error.offset) of \(n))")
        }
        let end = inflated.end
        guard end + 8 <= n else {
            throw fail("truncated: the CRC-32/ISIZE trailer is missing after the deflate stream (file is \(n) bytes)")
        }
        let expectedCRC = readLE32(input, end), expectedSize = readLE32(input, end + 4)
        let actualCRC = inflated.bytes.withUnsafeBufferPointer { CRC32.checksum($0) }
        guard actualCRC == expectedCRC else {
            throw fail("CRC-32 mismatch: data has \(hex(actualCRC, 8)), trailer says \(hex(expectedCRC, 8))")
        }
        guard UInt32(truncatingIfNeeded: inflated.bytes.count) == expectedSize else {
            throw fail("size mismatch: decompressed \(inflated.bytes.count) bytes, trailer says \(expectedSize)")
        }
        return (inflated.bytes, end + 8)
    }

    static func hex(_ value: some BinaryInteger, _ digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    private static func readLE32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
