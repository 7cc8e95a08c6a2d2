import Foundation
import TrainKit

/// A small strict JSON reader and the string quoting the server writes with.
///
/// The server reads untrusted bodies, so the reader stops at the first problem with its byte offset, refuses
/// what JSON does not allow (`NaN`, `Infinity`, trailing commas, control characters in strings), numbers that
/// overflow a double, and nesting deeper than ``maxDepth`` (no deep recursion on a hostile body).
public enum InferenceJSON {
    /// A parsed JSON value; objects keep their keys in order. A non-empty array of numbers only is read as
    /// `numbers` (a tensor's `data`: one buffer, no value per element).
    public enum Value: Equatable, Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case numbers([Double])
        case object([(String, Value)])

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.null, .null): true
            case let (.bool(x), .bool(y)): x == y
            case let (.number(x), .number(y)): x == y
            case let (.string(x), .string(y)): x == y
            case let (.array(x), .array(y)): x == y
            case let (.numbers(x), .numbers(y)): x == y
            case let (.numbers(x), .array(y)), let (.array(y), .numbers(x)): y == x.map(Value.number)
            case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: false
            }
        }

        /// The member `key` of an object (the first, if repeated).
        public subscript(key: String) -> Value? {
            guard case .object(let members) = self else { return nil }
            return members.first(where: { $0.0 == key })?.1
        }

        /// What the value is, for messages ("a string", "an array", …).
        public var kind: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array, .numbers: "an array"
            case .object: "an object"
            }
        }
    }

    /// The deepest nesting of arrays and objects a body may have.
    public static let maxDepth = 32

    /// Parses `bytes` as one JSON value (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(InferenceError) -> Value {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String { JSONText.quoted(s) }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        func error(_ what: String) -> InferenceError {
            .badRequest("the body is not valid JSON: \(what) at byte \(at)")
        }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func value(depth: Int) throws(InferenceError) -> Value {
            guard at < bytes.count else { throw error("unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[at])))'")
            }
        }

        mutating func literal(_ word: String) throws(InferenceError) {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<(at + w.count)]) == w else { throw error("unexpected text") }
            at += w.count
        }

        mutating func object(depth: Int) throws(InferenceError) -> Value {
            guard depth <= InferenceJSON.maxDepth else { throw error("nesting deeper than \(InferenceJSON.maxDepth)") }
            at += 1
            var members: [(String, Value)] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                let key = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("expected ':'") }
                at += 1
                skipSpace()
                members.append((key, try value(depth: depth)))
                skipSpace()
                guard at < bytes.count else { throw error("unexpected end") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(InferenceError) -> Value {
            guard depth <= InferenceJSON.maxDepth else { throw error("nesting deeper than \(InferenceJSON.maxDepth)") }
            at += 1
            var items: [Value] = []
            var numbers: [Double] = []  // while every item so far is a number
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                skipSpace()
                if items.isEmpty, at < bytes.count, bytes[at] == UInt8(ascii: "-") || (bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")) {
                    numbers.append(try number())
                } else {
                    if !numbers.isEmpty {
                        items = numbers.map(Value.number)
                        numbers = []
                    }
                    items.append(try value(depth: depth))
                }
                skipSpace()
                guard at < bytes.count else { throw error("unexpected end") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return items.isEmpty ? .numbers(numbers) : .array(items) }
                throw error("expected ',' or ']'")
            }
        }

        /// A JSON number. Most (at most 19 significant digits, a decimal exponent within ±22, a mantissa below
        /// 2^53) are exact by Clinger's fast path — one correctly rounded multiplication or division of two exact
        /// doubles; the rest go to strtod.
        mutating func number() throws(InferenceError) -> Double {
            let start = at
            var negative = false
            if bytes[at] == UInt8(ascii: "-") { negative = true; at += 1 }
            var mantissa: UInt64 = 0, digitsSeen = 0, exponent = 0
            func digits(_ r: inout Reader, fraction: Bool, into mantissa: inout UInt64, _ seen: inout Int, _ exponent: inout Int) -> Int {
                let s = r.at
                while r.at < r.bytes.count, r.bytes[r.at] >= UInt8(ascii: "0"), r.bytes[r.at] <= UInt8(ascii: "9") {
                    if seen < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(r.bytes[r.at] &- UInt8(ascii: "0"))
                        if mantissa != 0 { seen += 1 }
                        if fraction { exponent -= 1 }
                    } else if !fraction {
                        exponent += 1  // an integer digit beyond 19: scale instead (then strtod decides)
                        seen += 1
                    } else {
                        seen += 1
                    }
                    r.at += 1
                }
                return r.at - s
            }
            guard digits(&self, fraction: false, into: &mantissa, &digitsSeen, &exponent) > 0 else {
                throw error("a number needs digits")
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits(&self, fraction: true, into: &mantissa, &digitsSeen, &exponent) > 0 else {
                    throw error("a number needs digits after '.'")
                }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                var sign = 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") {
                    if bytes[at] == UInt8(ascii: "-") { sign = -1 }
                    at += 1
                }
                var e = 0, count = 0
                while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
                    if e < 100_000 { e = e * 10 + Int(bytes[at] - UInt8(ascii: "0")) }
                    at += 1
                    count += 1
                }
                guard count > 0 else { throw error("a number needs digits in its exponent") }
                exponent += sign * e
            }
            if digitsSeen <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
                var x = Double(mantissa)
                if exponent < 0 { x /= Self.powersOfTen[-exponent] } else { x *= Self.powersOfTen[exponent] }
                return negative ? -x : x
            }
            // strtod on a NUL-terminated copy of exactly the scanned characters (it must not read past them).
            let length = at - start
            let x: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
                for i in 0..<length { buffer[i] = CChar(bitPattern: bytes[start + i]) }
                buffer[length] = 0
                return strtod(buffer.baseAddress!, nil)
            }
            guard x.isFinite else {
                let text = String(decoding: bytes[start..<at], as: UTF8.self)
                at = start
                throw error("the number \(text) does not fit a double")
            }
            return x
        }

        /// 10^0 … 10^22, each exact in a double.
        static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { acc, _ in acc * 10 } }

        mutating func string() throws(InferenceError) -> String {
            at += 1
            var out: [UInt8] = []
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    at += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw error("a string is not UTF-8") }
                    return s
                }
                if b < 0x20 { throw error("a control character inside a string") }
                if b == UInt8(ascii: "\\") {
                    at += 1
                    guard at < bytes.count else { break }
                    switch bytes[at] {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {  // a surrogate pair
                            guard at + 2 < bytes.count, bytes[at + 1] == UInt8(ascii: "\\"), bytes[at + 2] == UInt8(ascii: "u") else {
                                throw error("an unpaired surrogate")
                            }
                            at += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("an unpaired surrogate") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("an invalid \\u escape") }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw error("an invalid escape")
                    }
                    at += 1
                    continue
                }
                out.append(b)
                at += 1
            }
            throw error("an unterminated string")
        }

        /// The four hex digits after `\u` (leaves `at` on the last digit).
        mutating func hex4() throws(InferenceError) -> UInt32 {
            guard at + 4 < bytes.count else { throw error("a short \\u escape") }
            var code: UInt32 = 0
            for i in 1...4 {
                guard let d = UInt32(String(Character(Unicode.Scalar(bytes[at + i]))), radix: 16) else {
                    throw error("an invalid \\u escape")
                }
                code = code * 16 + d
            }
            at += 4
            return code
        }
    }
}
