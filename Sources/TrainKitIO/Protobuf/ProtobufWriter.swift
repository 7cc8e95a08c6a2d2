import Foundation

/// Protocol Buffers wire format, encode side: the few message shapes TrainKit writes for other tools (ONNX
/// models, TensorBoard event records) are hand-declared structs that serialize through this writer.
///
/// Each field is a key `(number << 3) | wire type` as a varint, then its payload:
/// - wire type 0, varint: `int32`/`int64` as their 64-bit two's complement (a negative value takes 10 bytes),
///   `uint64`, `bool`, enums;
/// - wire type 1, 8 bytes little-endian: `double`, `fixed64`;
/// - wire type 2, length-delimited (varint length, then the bytes): `string` (UTF-8), `bytes`, embedded
///   messages and packed repeated scalars;
/// - wire type 5, 4 bytes little-endian: `float`, `fixed32`.
///
/// Fields are written in the order the caller writes them; a decoder accepts any order. A value equal to its
/// default may be left out by the caller (proto3's rule); writing it is valid too.
///
/// ```swift
/// var w = ProtobufWriter()
/// w.string(1, "Relu")                  // field 1, length-delimited
/// w.message(2) { $0.int64(1, -1) }     // an embedded message with one varint
/// let data = w.data
/// ```
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The encoded message.
    public var data: Data { Data(bytes) }

    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    mutating func key(_ field: Int, _ type: WireType) {
        precondition(field >= 1 && field < 1 << 29, "protobuf: field number \(field) out of range")
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    // MARK: - Scalars

    /// `uint64` / `uint32` / enum values as a varint.
    public mutating func uint64(_ field: Int, _ value: UInt64) {
        key(field, .varint)
        appendVarint(value)
    }

    /// `int64` / `int32` as a varint of the 64-bit two's complement.
    public mutating func int64(_ field: Int, _ value: Int64) { uint64(field, UInt64(bitPattern: value)) }

    public mutating func bool(_ field: Int, _ value: Bool) { uint64(field, value ? 1 : 0) }

    public mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    public mutating func double(_ field: Int, _ value: Double) {
        key(field, .fixed64)
        appendLittleEndian(value.bitPattern)
    }

    // MARK: - Length-delimited

    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func bytes(_ field: Int, _ value: Data) { bytes(field, [UInt8](value)) }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// An embedded message written by `body` into its own writer.
    public mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }

    /// An embedded message that serializes itself.
    public mutating func message<M: ProtobufMessage>(_ field: Int, _ value: M) {
        message(field) { value.encode(to: &$0) }
    }

    // MARK: - Packed repeated scalars

    public mutating func packedInt64(_ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.appendVarint(UInt64(bitPattern: v)) }
        bytes(field, inner.bytes)
    }

    public mutating func packedFloat(_ field: Int, _ values: [Float]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.appendLittleEndian(v.bitPattern) }
        bytes(field, inner.bytes)
    }

    public mutating func packedDouble(_ field: Int, _ values: [Double]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.appendLittleEndian(v.bitPattern) }
        bytes(field, inner.bytes)
    }
}

/// A message that writes its fields with a ``ProtobufWriter``.
public protocol ProtobufMessage: Sendable {
    func encode(to writer: inout ProtobufWriter)
}

extension ProtobufMessage {
    /// The message's wire-format bytes.
    public func serializedData() -> Data {
        var writer = ProtobufWriter()
        encode(to: &writer)
        return writer.data
    }
}
