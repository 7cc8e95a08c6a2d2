/// A canonical Huffman decoding table for DEFLATE (RFC 1951 §3.2.2), two levels.
///
/// The primary table is indexed by the next `primaryBits` input bits (LSB first, as DEFLATE packs
/// codes bit-reversed). An entry is `symbol << 8 | length` for a code of at most `primaryBits` bits,
/// or `offset << 8 | 0x80 | subBits` pointing at a subtable indexed by the following `subBits` bits.
/// An entry of 0 marks a bit pattern that no code uses (an invalid code in the stream).
struct HuffmanTable {
    static let maxCodeLength = 15
    let primaryBits: Int
    /// Entries: `1 << primaryBits` primary ones, then subtables; storage owned by the decoder.
    let entries: UnsafeMutablePointer<UInt32>
    let capacity: Int

    init(primaryBits: Int) {
        self.primaryBits = primaryBits
        // Worst case: every primary slot points at a subtable of 2^(15 - primaryBits) entries.
        capacity = (1 << primaryBits) * (1 + (1 << (Self.maxCodeLength - primaryBits)))
        entries = .allocate(capacity: capacity)
    }

    func deallocate() { entries.deallocate() }

    /// Fills the table for the code lengths `lengths[symbol]` (0 = symbol unused).
    /// Returns a reason when the lengths over-subscribe the code space (no valid prefix code).
    func build(_ lengths: UnsafeBufferPointer<UInt8>) -> String? {
        var counts = [Int](repeating: 0, count: Self.maxCodeLength + 1)
        for l in lengths { counts[Int(l)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...Self.maxCodeLength {
            left = (left << 1) - counts[length]
            if left < 0 { return "over-subscribed Huffman code lengths" }
        }
        var next = [Int](repeating: 0, count: Self.maxCodeLength + 2)
        var code = 0
        for length in 1...Self.maxCodeLength {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        let longest = (1...Self.maxCodeLength).last { counts[$0] > 0 } ?? 0
        let subBits = max(0, longest - primaryBits)
        let primarySize = 1 << primaryBits
        entries.update(repeating: 0, count: primarySize)
        var nextSubtable = primarySize
        for symbol in 0..<lengths.count {
            let length = Int(lengths[symbol])
            if length == 0 { continue }
            let reversed = Self.reverse(next[length], bits: length)
            next[length] += 1
            let entry = UInt32(symbol) << 8 | UInt32(length)
            if length <= primaryBits {
                var i = reversed
                while i < primarySize {
                    entries[i] = entry
                    i += 1 << length
                }
                continue
            }
            let prefix = reversed & (primarySize - 1)
            if entries[prefix] & 0x80 == 0 {
                entries[prefix] = UInt32(nextSubtable) << 8 | 0x80 | UInt32(subBits)
                (entries + nextSubtable).update(repeating: 0, count: 1 << subBits)
                nextSubtable += 1 << subBits
            }
            let base = Int(entries[prefix] >> 8)
            var i = reversed >> primaryBits
            while i < 1 << subBits {
                entries[base + i] = entry
                i += 1 << (length - primaryBits)
            }
        }
        return nil
    }

    @inline(__always) static func reverse(_ code: Int, bits: Int) -> Int {
        var r = 0, c = code
        for _ in 0..<bits {
            r = (r << 1) | (c & 1)
            c >>= 1
        }
        return r
    }
}
