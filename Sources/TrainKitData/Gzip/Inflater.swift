import Foundation

/// A failure inside a DEFLATE stream, at a byte offset of the input.
struct InflateError: Error {
    let reason: String
    let offset: Int
}

/// A DEFLATE (RFC 1951) decoder in plain Swift: stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Reads from a 64-bit bit buffer refilled eight bytes at a time, decodes with two-level tables
/// (``HuffmanTable``) and writes into a growing buffer. A stream that ends before its final block is
/// reported as truncated; invalid codes, distances and block types as corrupt.
struct Inflater {
    private let input: UnsafePointer<UInt8>
    private let inputCount: Int
    private var position: Int
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    /// Zero bytes fed past the end of the input (allowed briefly for look-ahead, never consumed).
    private var paddedBytes = 0
    private var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int
    private var outputCount = 0
    private let literals = HuffmanTable(primaryBits: 10)
    private let distances = HuffmanTable(primaryBits: 8)
    private let codeLengths = HuffmanTable(primaryBits: 7)

    /// Decodes the DEFLATE stream at `start` of `input`.
    /// - Parameter sizeHint: expected output size (for example gzip's ISIZE), to allocate once.
    /// - Returns: the decoded bytes and the offset just past the stream (byte aligned).
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, from start: Int, sizeHint: Int) throws(InflateError)
        -> (bytes: [UInt8], end: Int) {
        guard let base = input.baseAddress, start < input.count else {
            throw InflateError(reason: "truncated: no deflate data", offset: start)
        }
        var inflater = Inflater(input: base, count: input.count, start: start, sizeHint: sizeHint)
        defer { inflater.release() }
        try inflater.run()
        let bytes = [UInt8](UnsafeBufferPointer(start: inflater.output, count: inflater.outputCount))
        return (bytes, inflater.consumedBytes)
    }

    private init(input: UnsafePointer<UInt8>, count: Int, start: Int, sizeHint: Int) {
        self.input = input
        self.inputCount = count
        self.position = start
        self.outputCapacity = max(1024, min(sizeHint, 1 << 31))
        self.output = .allocate(capacity: outputCapacity)
    }

    private func release() {
        output.deallocate()
        literals.deallocate()
        distances.deallocate()
        codeLengths.deallocate()
    }

    /// Bytes of input consumed so far, rounded up to a whole byte.
    private var consumedBytes: Int { ((position + paddedBytes) * 8 - bitCount + 7) / 8 }

    private mutating func run() throws(InflateError) {
        var final = false
        while !final {
            refill()
            final = take(1) == 1
            switch take(2) {
            case 0: try storedBlock()
            case 1:
                buildFixedTables()
                try huffmanBlock()
            case 2:
                try buildDynamicTables()
                try huffmanBlock()
            default: throw corrupt("invalid block type 3")
            }
            try checkNotPastEnd()
        }
    }

    // MARK: - Bits

    /// Fills the bit buffer to at least 56 bits (with zero padding past the end of the input).
    @inline(__always) private mutating func refill() {
        if position + 8 <= inputCount {
            bitBuffer |= UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self).littleEndian << bitCount
            position += (63 - bitCount) >> 3
            bitCount |= 56
            return
        }
        while bitCount <= 56 {
            if position < inputCount {
                bitBuffer |= UInt64(input[position]) << bitCount
                position += 1
            } else {
                paddedBytes += 1
            }
            bitCount += 8
        }
    }

    /// The next `n` bits (n <= 32, after a refill), consumed.
    @inline(__always) private mutating func take(_ n: Int) -> Int {
        let value = Int(bitBuffer & ((1 << UInt64(n)) &- 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    private func checkNotPastEnd() throws(InflateError) {
        if (position + paddedBytes) * 8 - bitCount > inputCount * 8 {
            throw InflateError(reason: "truncated: the deflate stream ends before its final block", offset: inputCount)
        }
    }

    private func corrupt(_ reason: String) -> InflateError {
        if paddedBytes > 0 && (position + paddedBytes) * 8 - bitCount > inputCount * 8 {
            return InflateError(reason: "truncated: the deflate stream ends before its final block", offset: inputCount)
        }
        return InflateError(reason: "corrupt deflate stream: \(reason)", offset: consumedBytes)
    }

    // MARK: - Output

    @inline(__always) private mutating func reserve(_ n: Int) {
        if outputCount + n > outputCapacity { grow(outputCount + n) }
    }

    private mutating func grow(_ needed: Int) {
        var capacity = outputCapacity
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: output, count: outputCount)
        output.deallocate()
        output = bigger
        outputCapacity = capacity
    }

    // MARK: - Blocks

    private mutating func storedBlock() throws(InflateError) {
        _ = take(bitCount & 7)  // to a byte boundary
        refill()
        let length = take(16), complement = take(16)
        guard length == ~complement & 0xFFFF else { throw corrupt("stored block length \(length) fails its check") }
        // Hand back whole buffered bytes to the input, then copy directly.
        let buffered = bitCount / 8
        position -= buffered
        bitBuffer = 0
        bitCount = 0
        if paddedBytes > 0 {
            let real = buffered - paddedBytes
            paddedBytes = 0
            position = inputCount - max(real, 0)
        }
        guard position + length <= inputCount else {
            throw InflateError(reason: "truncated: stored block of \(length) bytes runs past the end", offset: inputCount)
        }
        reserve(length)
        (output + outputCount).update(from: input + position, count: length)
        outputCount += length
        position += length
    }

    private func buildFixedTables() {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        _ = lengths.withUnsafeBufferPointer { literals.build($0) }
        let distanceLengths = [UInt8](repeating: 5, count: 30)
        _ = distanceLengths.withUnsafeBufferPointer { distances.build($0) }
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func buildDynamicTables() throws(InflateError) {
        refill()
        let literalCount = take(5) + 257, distanceCount = take(5) + 1, codeLengthCount = take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw corrupt("\(literalCount) literal/length or \(distanceCount) distance codes")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            refill()
            codeLengthLengths[Self.codeLengthOrder[i]] = UInt8(take(3))
        }
        if let problem = codeLengthLengths.withUnsafeBufferPointer({ codeLengths.build($0) }) {
            throw corrupt("code length code: \(problem)")
        }
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var i = 0
        while i < lengths.count {
            refill()
            let symbol = try decode(codeLengths)
            switch symbol {
            case 0...15:
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            case 16:
                guard i > 0 else { throw corrupt("repeat of a code length with none before it") }
                try fill(&lengths, at: &i, with: lengths[i - 1], count: 3 + take(2))
            case 17: try fill(&lengths, at: &i, with: 0, count: 3 + take(3))
            default: try fill(&lengths, at: &i, with: 0, count: 11 + take(7))
            }
        }
        guard lengths[256] != 0 else { throw corrupt("no end-of-block code") }
        try checkNotPastEnd()
        if let problem = lengths[..<literalCount].withUnsafeBufferPointer({ literals.build($0) }) {
            throw corrupt("literal/length code: \(problem)")
        }
        if let problem = lengths[literalCount...].withUnsafeBufferPointer({ distances.build($0) }) {
            throw corrupt("distance code: \(problem)")
        }
    }

    private func fill(_ lengths: inout [UInt8], at i: inout Int, with value: UInt8, count: Int) throws(InflateError) {
        guard i + count <= lengths.count else { throw corrupt("code length repeat runs past the code count") }
        for _ in 0..<count { lengths[i] = value; i += 1 }
    }

    /// The next symbol of `table` (needs 15 buffered bits), consumed.
    @inline(__always) private mutating func decode(_ table: HuffmanTable) throws(InflateError) -> Int {
        var entry = table.entries[Int(bitBuffer & ((1 << UInt64(table.primaryBits)) - 1))]
        if entry & 0x80 != 0 {
            let sub = (bitBuffer >> UInt64(table.primaryBits)) & ((1 << UInt64(entry & 0x7F)) - 1)
            entry = table.entries[Int(entry >> 8) + Int(sub)]
        }
        let length = Int(entry & 0x7F)
        guard length > 0 else { throw corrupt("invalid Huffman code") }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 8)
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                            67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                             4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                              513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
                                               10, 10, 11, 11, 12, 12, 13, 13]

    /// Decodes literals and matches until the end-of-block code.
    private mutating func huffmanBlock() throws(InflateError) {
        let lengthBase = Self.lengthBase, lengthExtra = Self.lengthExtra
        let distanceBase = Self.distanceBase, distanceExtra = Self.distanceExtra
        while true {
            refill()
            if paddedBytes > 8 { try checkNotPastEnd() }
            let symbol = try decode(literals)
            if symbol < 256 {
                reserve(1)
                output[outputCount] = UInt8(truncatingIfNeeded: symbol)
                outputCount += 1
                continue
            }
            if symbol == 256 { return }
            let lengthCode = symbol - 257
            guard lengthCode < 29 else { throw corrupt("invalid length code \(symbol)") }
            let length = lengthBase[lengthCode] + take(lengthExtra[lengthCode])
            let distanceCode = try decode(distances)
            guard distanceCode < 30 else { throw corrupt("invalid distance code \(distanceCode)") }
            let distance = distanceBase[distanceCode] + take(distanceExtra[distanceCode])
            guard distance <= outputCount else {
                throw corrupt("distance \(distance) reaches before the start of the output (\(outputCount) bytes)")
            }
            reserve(length)
            copyMatch(length: length, distance: distance)
        }
    }

    /// Appends `length` bytes copied from `distance` back (the regions may overlap: a repeating pattern).
    @inline(__always) private mutating func copyMatch(length: Int, distance: Int) {
        let dst = output + outputCount
        let src = dst - distance
        if distance >= length {
            dst.update(from: src, count: length)
        } else if distance >= 8 {
            var i = 0
            while i + 8 <= length {
                UnsafeMutableRawPointer(dst + i).storeBytes(
                    of: UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self), as: UInt64.self)
                i += 8
            }
            while i < length { dst[i] = src[i]; i += 1 }
        } else {
            for i in 0..<length { dst[i] = src[i] }
        }
        outputCount += length
    }
}
