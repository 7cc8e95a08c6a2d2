import TrainKitCore

/// An array read from an IDX file (the MNIST format): a magic number naming the element type and
/// rank, big-endian int32 dimensions, then the elements, big-endian, row-major.
///
/// Files may be gzip-compressed (detected by their magic bytes) or plain.
///
/// ```swift
/// let images = try IDXArray(contentsOf: "mnist/train-images-idx3-ubyte.gz")   // shape [60000, 28, 28]
/// let x = images.floatTensor(dividingBy: 255)                                // float32 in [0, 1]
/// ```
public struct IDXArray: Sendable {
    /// IDX element types, by their code in the magic number.
    public enum ElementType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        var byteSize: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }

    public let shape: [Int]
    public let elementType: ElementType
    /// The file's bytes; the elements (big-endian) start at `dataOffset`.
    let bytes: [UInt8]
    let dataOffset: Int

    /// Reads and validates an IDX file (gzip or plain).
    /// - Throws: ``DataError`` naming the file: bad magic, unknown element type, or a size that does not
    ///   match the header (a truncated or padded file, or dimensions whose product overflows).
    public init(contentsOf path: String) throws {
        let bytes = try FileBytes.readDecompressing(path)
        try self.init(bytes: bytes, file: path)
    }

    /// Parses IDX bytes (already decompressed); `file` names the source in errors.
    public init(bytes: [UInt8], file: String = "<memory>") throws {
        func fail(_ reason: String) -> DataError { .invalidFormat(file: file, reason: "IDX: \(reason)") }
        guard bytes.count >= 4 else { throw fail("\(bytes.count) bytes is too short for the 4-byte magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            let magic = bytes[0..<4].map { Gzip.hex($0, 2) }.joined()
            throw fail("wrong magic number 0x\(magic): the first two bytes must be 0 (is this an IDX file?)")
        }
        guard let type = ElementType(rawValue: bytes[2]) else {
            throw fail("unknown element type 0x\(Gzip.hex(bytes[2], 2)) in the magic number")
        }
        let rank = Int(bytes[3])
        guard rank >= 1, bytes.count >= 4 + 4 * rank else {
            throw fail("header declares \(rank) dimensions but the file has \(bytes.count) bytes")
        }
        var shape = [Int]()
        for d in 0..<rank {
            let p = 4 + 4 * d
            shape.append(Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3]))
        }
        let headerSize = 4 + 4 * rank
        guard let expected = CheckedSize.bytes(shape: shape, elementSize: type.byteSize) else {
            throw fail("header shape \(shape) has more bytes than a file can hold, the file has \(bytes.count - headerSize)")
        }
        guard bytes.count - headerSize == expected else {
            throw fail("header shape \(shape) needs \(expected) data bytes, the file has \(bytes.count - headerSize)")
        }
        self.shape = shape
        self.elementType = type
        self.bytes = bytes
        self.dataOffset = headerSize
    }

    /// The elements as float32, each divided by `divisor` (255 maps pixels to [0, 1] exactly as
    /// torchvision's `ToTensor` does).
    /// - Parameter newShape: a shape with the same element count (for example `[N, 1, 28, 28]`).
    public func floatTensor(dividingBy divisor: Float = 1, shape newShape: [Int]? = nil) -> Tensor {
        let target = newShape ?? shape
        precondition(target.reduce(1, *) == count,
                     "IDXArray.floatTensor: shape \(target) does not hold the file's \(count) elements \(shape)")
        if elementType == .uint8 {
            let table = (0..<256).map { Float($0) / divisor }
            let pixels = bytes.withUnsafeBufferPointer { p in
                table.withUnsafeBufferPointer { t in
                    [Float](unsafeUninitializedCapacity: count) { out, initialized in
                        let source = p.baseAddress! + dataOffset
                        for i in 0..<count { out[i] = t[Int(source[i])] }
                        initialized = count
                    }
                }
            }
            return Tensor(pixels, shape: target)
        }
        return Tensor(decodedDoubles().map { Float($0) / divisor }, shape: target)
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements as int64 (labels). Floating types are truncated toward zero.
    public func int64Tensor() -> Tensor {
        Tensor(decodedDoubles().map { Int64($0) }, shape: shape)
    }

    /// The elements decoded from big-endian storage (uint8 takes a direct path).
    func decodedDoubles() -> [Double] {
        bytes[dataOffset...].withUnsafeBufferPointer { p in
            let n = count
            return [Double](unsafeUninitializedCapacity: n) { out, initialized in
                let raw = UnsafeRawBufferPointer(p)
                switch elementType {
                case .uint8: for i in 0..<n { out[i] = Double(p[i]) }
                case .int8: for i in 0..<n { out[i] = Double(Int8(bitPattern: p[i])) }
                case .int16:
                    for i in 0..<n { out[i] = Double(Int16(bigEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
                case .int32:
                    for i in 0..<n { out[i] = Double(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                case .float32:
                    for i in 0..<n {
                        out[i] = Double(Float(bitPattern: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                    }
                case .float64:
                    for i in 0..<n {
                        out[i] = Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    }
                }
                initialized = n
            }
        }
    }
}
