import Foundation
import TrainKitCore

/// Errors reading a safetensors file; each names the file and what is wrong with it.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): invalid safetensors file: \(reason)" }
}

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length `N`, a UTF-8
/// JSON header of `N` bytes (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
/// {string: string}}`), then the tensor bytes, little-endian and row-major.
///
/// Files written here follow the reference writer: the header is space-padded to a multiple of 8 bytes,
/// `__metadata__` comes first, and tensors are laid out by descending dtype alignment, then by name.
/// Reading validates everything the reference reader does (header size, JSON, dtypes, offsets matching
/// shapes, a buffer covered exactly with no holes or overlaps) and reports the first problem by name.
public enum SafeTensors {
    /// Largest header the reader accepts (the reference reader's limit).
    public static let maximumHeaderSize = 100_000_000

    /// Serializes `tensors` (and optional string metadata) to safetensors bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String]? = nil) -> Data {
        // The reference writer orders by its dtype enum (BOOL < ... < I32 < U32 < F32 < C64 < F64 < I64), highest
        // first, then by name; the enum increases with alignment, so every tensor stays naturally aligned.
        func rank(_ d: DType) -> Int {
            switch d {
            case .bool: 0
            case .int32: 1
            case .float32: 2
            case .float64: 3
            case .int64: 4
            }
        }
        let names = tensors.keys.sorted { a, b in
            let ra = rank(tensors[a]!.dtype), rb = rank(tensors[b]!.dtype)
            return ra != rb ? ra > rb : a < b
        }
        var entries: [String] = []
        if let metadata, !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        var payload: [Tensor] = []
        for name in names {
            let t = tensors[name]!.contiguous().detach()
            let bytes = t.count * t.dtype.byteSize
            entries.append("\(jsonString(name)):{\"dtype\":\"\(t.dtype.safetensorsName)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
            payload.append(t)
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for t in payload {
            t.withRawBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Writes `tensors` to `url` crash-safely (temporary file, flush, rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String]? = nil, to url: URL) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: url)
    }

    /// Reads every tensor and the metadata of the file at `url`.
    public static func read(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError(path: url.path, reason: "cannot read file (\(error.localizedDescription))")
        }
        return try decode(data, path: url.path)
    }

    /// Parses safetensors bytes; `path` names the source in errors.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> SafeTensorsError { SafeTensorsError(path: path, reason: reason) }
        guard data.count >= 8 else { throw fail("file is \(data.count) bytes, shorter than the 8-byte header length") }
        let n = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= UInt64(maximumHeaderSize) else { throw fail("header too large (\(n) bytes)") }
        guard 8 + Int(n) <= data.count else {
            throw fail("header length \(n) runs past the end of the file (\(data.count) bytes): truncated?")
        }
        let headerBytes = data.subdata(in: 8..<(8 + Int(n)))
        guard let first = headerBytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first == 0x7B else {
            throw fail("header does not start with '{'")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let dict = meta as? [String: Any] else { throw fail("__metadata__ is not an object") }
            for (k, v) in dict {
                guard let s = v as? String else { throw fail("__metadata__ value for \"\(k)\" is not a string") }
                metadata[k] = s
            }
        }
        let bufferStart = 8 + Int(n)
        let bufferSize = data.count - bufferStart
        var spans: [(begin: Int, end: Int, name: String)] = []
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any] else { throw fail("entry \"\(name)\" is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw fail("entry \"\(name)\" has no dtype") }
            guard let format = StoredFormat(dtypeName) else { throw fail("entry \"\(name)\": unsupported dtype \(dtypeName)") }
            guard let shapeValues = entry["shape"] as? [NSNumber], shapeValues.allSatisfy({ $0.intValue >= 0 }) else {
                throw fail("entry \"\(name)\": shape is not a list of non-negative integers")
            }
            guard let offsets = entry["data_offsets"] as? [NSNumber], offsets.count == 2 else {
                throw fail("entry \"\(name)\": data_offsets is not [begin, end]")
            }
            let shape = shapeValues.map(\.intValue)
            let begin = offsets[0].intValue, end = offsets[1].intValue
            guard let size = CheckedSize.bytes(shape: shape, elementSize: format.byteSize) else {
                throw fail("entry \"\(name)\": shape \(shape) of \(dtypeName) has more bytes than a file can hold")
            }
            guard begin >= 0, end >= begin, end - begin == size else {
                throw fail("entry \"\(name)\": data_offsets [\(begin), \(end)] do not match shape \(shape) of \(dtypeName) (\(size) bytes)")
            }
            guard end <= bufferSize else {
                throw fail("entry \"\(name)\": data ends at byte \(end) of a \(bufferSize)-byte buffer: truncated?")
            }
            spans.append((begin, end, name))
            tensors[name] = data.withUnsafeBytes { raw in
                format.tensor(from: UnsafeRawBufferPointer(rebasing: raw[(bufferStart + begin)..<(bufferStart + end)]), shape: shape)
            }
        }
        spans.sort { $0.begin < $1.begin || ($0.begin == $1.begin && $0.end < $1.end) }
        var covered = 0
        for span in spans where span.end > span.begin {
            guard span.begin == covered else {
                throw fail(span.begin < covered ? "entry \"\(span.name)\" overlaps another tensor"
                                                 : "hole in the data buffer before entry \"\(span.name)\"")
            }
            covered = span.end
        }
        guard covered == bufferSize else {
            throw fail("incomplete metadata, file not fully covered (tensors cover \(covered) of \(bufferSize) buffer bytes)")
        }
        return (tensors, metadata)
    }

    static func jsonString(_ s: String) -> String { JSONText.quoted(s) }
}

/// Stored dtypes the reader understands, and how each becomes a TrainKit tensor.
enum StoredFormat {
    case f32, f64, i32, i64, bool, f16, bf16, u8, i8, i16, u16, u32, u64

    init?(_ name: String) {
        switch name {
        case "F32": self = .f32
        case "F64": self = .f64
        case "I32": self = .i32
        case "I64": self = .i64
        case "BOOL": self = .bool
        case "F16": self = .f16
        case "BF16": self = .bf16
        case "U8": self = .u8
        case "I8": self = .i8
        case "I16": self = .i16
        case "U16": self = .u16
        case "U32": self = .u32
        case "U64": self = .u64
        default: return nil
        }
    }

    var byteSize: Int {
        switch self {
        case .bool, .u8, .i8: 1
        case .f16, .bf16, .i16, .u16: 2
        case .f32, .i32, .u32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Half floats become float32; other integer types become int64 (bool stays bool).
    func tensor(from raw: UnsafeRawBufferPointer, shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)) }
        switch self {
        case .f32: return Tensor.make(shape: shape, as: Float.self) { out in for i in 0..<n { out[i] = Float(bitPattern: load(UInt32.self, i)) } }
        case .f64: return Tensor.make(shape: shape, as: Double.self) { out in for i in 0..<n { out[i] = Double(bitPattern: load(UInt64.self, i)) } }
        case .i32: return Tensor.make(shape: shape, as: Int32.self) { out in for i in 0..<n { out[i] = load(Int32.self, i) } }
        case .i64: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = load(Int64.self, i) } }
        case .bool: return Tensor.make(shape: shape, as: Bool.self) { out in for i in 0..<n { out[i] = raw[i] != 0 } }
        case .f16: return Tensor.make(shape: shape, as: Float.self) { out in for i in 0..<n { out[i] = Float(halfBits: load(UInt16.self, i)) } }
        case .bf16: return Tensor.make(shape: shape, as: Float.self) { out in for i in 0..<n { out[i] = Float(bitPattern: UInt32(load(UInt16.self, i)) << 16) } }
        case .u8: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(raw[i]) } }
        case .i8: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(Int8(bitPattern: raw[i])) } }
        case .i16: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(load(Int16.self, i)) } }
        case .u16: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(load(UInt16.self, i)) } }
        case .u32: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(load(UInt32.self, i)) } }
        case .u64: return Tensor.make(shape: shape, as: Int64.self) { out in for i in 0..<n { out[i] = Int64(truncatingIfNeeded: load(UInt64.self, i)) } }
        }
    }
}

extension Float {
    /// IEEE 754 half precision to single (subnormals, infinities and NaN included).
    init(halfBits h: UInt16) {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F), mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            self = (sign != 0 ? -1 : 1) * Float(mantissa) * 0x1p-24
        } else if exponent == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else {
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}

extension Tensor {
    /// The elements' bytes in row-major order (little-endian on every supported platform).
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch dtype {
        case .float32: try withUnsafeBufferPointer(as: Float.self) { try body(UnsafeRawBufferPointer($0)) }
        case .float64: try withUnsafeBufferPointer(as: Double.self) { try body(UnsafeRawBufferPointer($0)) }
        case .int32: try withUnsafeBufferPointer(as: Int32.self) { try body(UnsafeRawBufferPointer($0)) }
        case .int64: try withUnsafeBufferPointer(as: Int64.self) { try body(UnsafeRawBufferPointer($0)) }
        case .bool: try withUnsafeBufferPointer(as: Bool.self) { try body(UnsafeRawBufferPointer($0)) }
        }
    }
}
