import Foundation
import Testing

@testable import TrainKitData

/// `NumberParser.parse` takes a short path for plain decimals; it must give exactly what the standard
/// library's correctly rounded `Double(_:)` gives, and send everything else to the general parser.
@Suite struct NumberParserTests {
    func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, 0, bytes.count) }
    }

    @Test func plainDecimalsMatchTheStandardLibraryBitForBit() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let integerDigits = Int(next() % 12), fractionDigits = Int(next() % 12)
            var text = next() % 3 == 0 ? "-" : (next() % 7 == 0 ? "+" : "")
            for _ in 0..<integerDigits { text += String(next() % 10) }
            if fractionDigits > 0 || integerDigits == 0 {
                text += "."
                for _ in 0..<Swift.max(fractionDigits, 1) { text += String(next() % 10) }
            }
            let expected = Double(text)!
            if let value = parse(text), value.bitPattern == expected.bitPattern { continue }
            mismatches.append(text)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test(arguments: [
        ("12.5", 12.5), ("-0.25", -0.25), ("+7", 7.0), ("1.", 1.0), (".5", 0.5), ("  3.5 ", 3.5), ("1e3", 1000.0),
        ("-2.5E-2", -0.025), ("12345678901234567890", 12345678901234567890.0), ("0.1000000000000000000001", 0.1),
        ("inf", Double.infinity),
    ])
    func generalCasesStillParse(_ text: String, _ expected: Double) {
        #expect(parse(text) == expected, "\(text)")
    }

    @Test(arguments: ["", "-", "+", ".", "1.2.3", "12a", "0x10", "--1", "1e", "abc"])
    func nonNumbersAreRejected(_ text: String) {
        #expect(parse(text) == nil, "\(text) parsed as \(String(describing: parse(text)))")
    }

    @Test func negativeZeroKeepsItsSign() {
        #expect(parse("-0")?.sign == .minus)
        #expect(parse("-0.0")?.sign == .minus)
    }
}
