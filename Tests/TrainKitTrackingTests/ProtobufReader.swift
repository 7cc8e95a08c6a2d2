import Foundation

/// A test-only protocol buffer reader: walks a message's fields (varint, fixed64, length-delimited, fixed32) so the
/// tests can read back what the event writer wrote, by the field numbers of `Sources/TrainKitTracking/Protos/`.
struct ProtobufFields {
    enum Payload: Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])
        case fixed32(UInt32)
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The fields in the order written, repeated ones once per occurrence.
    let fields: [(number: Int, payload: Payload)]

    init<Bytes: Collection>(_ data: Bytes) throws where Bytes.Element == UInt8 {
        let bytes = Array(data)
        var i = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < bytes.count, shift < 64 else { throw ReadError(description: "truncated varint at \(i)") }
                let b = bytes[i]
                i += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }
        func take(_ n: Int) throws -> [UInt8] {
            guard n >= 0, i + n <= bytes.count else { throw ReadError(description: "truncated field at \(i)") }
            defer { i += n }
            return Array(bytes[i..<i + n])
        }
        func littleEndian(_ b: [UInt8]) -> UInt64 { b.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        var fields: [(Int, Payload)] = []
        while i < bytes.count {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append((number, .varint(try varint())))
            case 1: fields.append((number, .fixed64(littleEndian(try take(8)))))
            case 2: fields.append((number, .bytes(try take(Int(try varint())))))
            case 5: fields.append((number, .fixed32(UInt32(littleEndian(try take(4))))))
            default: throw ReadError(description: "wire type \(key & 7) of field \(number)")
            }
        }
        self.fields = fields
    }

    /// Whether field `number` is present.
    func has(_ number: Int) -> Bool { fields.contains { $0.number == number } }

    func varint(_ number: Int) -> UInt64? {
        fields.last { $0.number == number }.flatMap { if case .varint(let v) = $0.payload { v } else { nil } }
    }

    func double(_ number: Int) -> Double? {
        fields.last { $0.number == number }.flatMap { if case .fixed64(let v) = $0.payload { Double(bitPattern: v) } else { nil } }
    }

    func float(_ number: Int) -> Float? {
        fields.last { $0.number == number }.flatMap { if case .fixed32(let v) = $0.payload { Float(bitPattern: v) } else { nil } }
    }

    /// Every length-delimited occurrence of field `number`.
    func allBytes(_ number: Int) -> [[UInt8]] {
        fields.compactMap { field -> [UInt8]? in
            guard field.number == number, case .bytes(let b) = field.payload else { return nil }
            return b
        }
    }

    func bytes(_ number: Int) -> [UInt8]? { allBytes(number).last }

    func string(_ number: Int) -> String? { bytes(number).map { String(decoding: $0, as: UTF8.self) } }

    func message(_ number: Int) throws -> ProtobufFields? { try bytes(number).map { try ProtobufFields($0) } }

    func messages(_ number: Int) throws -> [ProtobufFields] { try allBytes(number).map { try ProtobufFields($0) } }

    /// A packed repeated `double` field.
    func packedDoubles(_ number: Int) -> [Double] {
        let b = bytes(number) ?? []
        return stride(from: 0, to: b.count, by: 8).map { start in
            Double(bitPattern: b[start..<start + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        }
    }
}
