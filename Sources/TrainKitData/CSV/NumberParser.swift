/// Decimal number parsing straight from bytes, exact to the nearest double.
///
/// Plain decimals with at most 19 significant digits and a power of ten up to 10²² take Clinger's fast
/// path (one exact multiply or divide, correctly rounded); anything else (long mantissas, huge
/// exponents, `inf`, `nan`) goes through the standard library's correctly rounded `Double(_:)`.
enum NumberParser {
    private static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { x, _ in x * 10 } }

    /// The number in `bytes[start..<end]` (surrounding spaces allowed), or nil when it is not a number.
    ///
    /// The common case first, with no per-digit bookkeeping: an optional sign, digits, an optional fraction,
    /// at most 19 digits in all and nothing else; its value is the same correctly rounded quotient the general
    /// path computes. Anything else (spaces, exponents, longer mantissas, words) goes to `parseGeneral`.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < end, case let d = bytes[i] &- 0x30, d < 10 {
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - integerStart, fraction = 0
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < end, case let d = bytes[i] &- 0x30, d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            fraction = i - fractionStart
            digits += fraction
        }
        if i == end && digits > 0 && digits <= 19 && mantissa <= 1 << 53 && fraction <= 22 {
            let value = fraction == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fraction]
            return negative ? -value : value
        }
        return parseGeneral(bytes, start, end)
    }

    /// Any decimal number: surrounding spaces, exponents, long mantissas (rounded through the standard library).
    static func parseGeneral(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start, e = end
        while i < e && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
        while e > i && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09) { e -= 1 }
        guard i < e else { return nil }
        let first = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, exponent = 0
        while i < e, case let d = bytes[i] &- 0x30, d < 10 {
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
                significant += 1
            }
            digits += 1
            i += 1
        }
        if i < e && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < e, case let d = bytes[i] &- 0x30, d < 10 {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else {
                    significant += 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return slowParse(bytes, first, e) }
        if i < e && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < e && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0, exponentDigits = 0
            while i < e, case let d = bytes[i] &- 0x30, d < 10 {
                if value < 100_000 { value = value * 10 + Int(d) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard i == e else { return nil }
        if significant > 19 || mantissa > 1 << 53 || exponent < -22 || exponent > 22 {
            return slowParse(bytes, first, e)
        }
        var value = Double(mantissa)
        value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
        return negative ? -value : value
    }

    /// The standard library's parser (also accepts `inf`, `infinity`, `nan` in any case).
    private static func slowParse(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard end - start <= 400 else { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
        guard let value = Double(text) else { return nil }
        // `Double("0x1p3")` accepts hexadecimal; a CSV number does not.
        if text.contains(where: { $0 == "x" || $0 == "X" }) { return nil }
        return value
    }
}
