/// Turning byte ranges of a file into Swift strings: UTF-8 validation, Latin-1, quote unescaping.
enum TextDecoding {
    /// Whether `bytes` are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            // Skip ASCII eight bytes at a time.
            if i + 8 <= n && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = p[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard i + length <= n, (low...high).contains(p[i + 1]) else { return false }
            for k in 2..<length where !(0x80...0xBF).contains(p[i + k]) { return false }
            i += length
        }
        return true
    }

    /// The text of `bytes[start..<end]`; doubled `quote` characters become one when `unescape` is set.
    static func string(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, latin1: Bool,
                       unescape quote: UInt8? = nil) -> String {
        if let quote {
            var bytes = [UInt8]()
            bytes.reserveCapacity(end - start)
            var i = start
            while i < end {
                bytes.append(p[i])
                i += (p[i] == quote && i + 1 < end && p[i + 1] == quote) ? 2 : 1
            }
            return bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return "" }
                return string(base, 0, b.count, latin1: latin1)
            }
        }
        let buffer = UnsafeBufferPointer(start: p + start, count: end - start)
        if !latin1 { return String(decoding: buffer, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in buffer { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }
}
