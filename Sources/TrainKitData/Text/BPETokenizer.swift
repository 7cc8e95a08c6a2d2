/// A byte-level byte-pair-encoding tokenizer (GPT-2 style), trained on a corpus.
///
/// Text is split into chunks (a word, number or punctuation run with its leading space; see
/// ``TextSplitting/chunks(_:)``), each chunk's UTF-8 bytes are the starting symbols, and training
/// repeatedly merges the most frequent adjacent pair of symbols (ties go to the pair of smallest ids)
/// into a new symbol, until the vocabulary has `vocabularySize` entries or no pair occurs twice.
/// Encoding replays the merges by rank. Any text encodes (every byte has an id), and
/// `decode(encode(text)) == text` (lowercased when `lowercase`).
///
/// Ids: the special tokens first (`<pad>` = 0), then the 256 bytes, then one id per merge. `Codable`.
///
/// ```swift
/// let bpe = BPETokenizer.train(on: sms.texts, vocabularySize: 2000)
/// let ids = bpe.encode("Free entry in 2 a wkly comp")
/// bpe.decode(ids)   // "Free entry in 2 a wkly comp"
/// ```
public struct BPETokenizer: TextTokenizer, Codable, Equatable {
    /// Special tokens, ids `0..<specialTokens.count`; the first is the padding token.
    public let specialTokens: [String]
    /// Merged pairs in the order learned: merge `k` makes id `specialTokens.count + 256 + k`.
    public let merges: [[Int]]
    public let lowercase: Bool
    /// The rank of each merged pair (derived from `merges`).
    private let ranks: [PairKey: Int]

    public init(merges: [[Int]], specialTokens: [String] = ["<pad>"], lowercase: Bool = false) {
        precondition(!specialTokens.isEmpty, "BPETokenizer: needs at least the padding token")
        precondition(merges.allSatisfy { $0.count == 2 }, "BPETokenizer: each merge is a pair of ids")
        self.merges = merges
        self.specialTokens = specialTokens
        self.lowercase = lowercase
        var ranks = [PairKey: Int]()
        for (k, m) in merges.enumerated() { ranks[PairKey(m[0], m[1])] = k }
        self.ranks = ranks
    }

    enum CodingKeys: String, CodingKey { case specialTokens, merges, lowercase }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(merges: try c.decode([[Int]].self, forKey: .merges),
                  specialTokens: try c.decode([String].self, forKey: .specialTokens),
                  lowercase: try c.decode(Bool.self, forKey: .lowercase))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(specialTokens, forKey: .specialTokens)
        try c.encode(merges, forKey: .merges)
        try c.encode(lowercase, forKey: .lowercase)
    }

    public static func == (a: BPETokenizer, b: BPETokenizer) -> Bool {
        a.specialTokens == b.specialTokens && a.merges == b.merges && a.lowercase == b.lowercase
    }

    public var padID: Int { 0 }
    public var vocabularySize: Int { byteBase + 256 + merges.count }
    private var byteBase: Int { specialTokens.count }

    // MARK: - Training

    /// Learns merges from `corpus` until the vocabulary reaches `vocabularySize`.
    public static func train(on corpus: [String], vocabularySize: Int, specialTokens: [String] = ["<pad>"],
                             lowercase: Bool = false) -> BPETokenizer {
        let base = specialTokens.count
        precondition(vocabularySize >= base + 256,
                     "BPETokenizer.train: vocabularySize \(vocabularySize) is below the \(base + 256) special and byte tokens")
        var frequency = [String: Int]()
        for text in corpus {
            for chunk in TextSplitting.chunks(lowercase ? text.lowercased() : text) { frequency[chunk, default: 0] += 1 }
        }
        let sortedChunks = frequency.keys.sorted()
        var words = sortedChunks.map { $0.utf8.map { base + Int($0) } }
        let counts = sortedChunks.map { frequency[$0]! }

        var pairCounts = [PairKey: Int]()
        for (w, word) in words.enumerated() { add(word, counts[w], to: &pairCounts) }
        var merges = [[Int]]()
        while base + 256 + merges.count < vocabularySize {
            guard let best = pairCounts.max(by: { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }),
                  best.value >= 2 else { break }
            let pair = best.key
            let newID = base + 256 + merges.count
            merges.append([pair.first, pair.second])
            for w in words.indices where contains(words[w], pair) {
                add(words[w], -counts[w], to: &pairCounts)
                words[w] = merged(words[w], pair, into: newID)
                add(words[w], counts[w], to: &pairCounts)
            }
            pairCounts = pairCounts.filter { $0.value > 0 }
        }
        return BPETokenizer(merges: merges, specialTokens: specialTokens, lowercase: lowercase)
    }

    // MARK: - Encoding

    public func encode(_ text: String) -> [Int] {
        var ids = [Int]()
        for chunk in TextSplitting.chunks(lowercase ? text.lowercased() : text) {
            var symbols = chunk.utf8.map { byteBase + Int($0) }
            while symbols.count > 1 {
                var bestRank = Int.max, bestPair: PairKey?
                for i in 0..<(symbols.count - 1) {
                    let pair = PairKey(symbols[i], symbols[i + 1])
                    if let r = ranks[pair], r < bestRank { bestRank = r; bestPair = pair }
                }
                guard let pair = bestPair else { break }
                symbols = Self.merged(symbols, pair, into: byteBase + 256 + bestRank)
            }
            ids += symbols
        }
        return ids
    }

    public func decode(_ ids: [Int]) -> String {
        var bytes = [UInt8]()
        func append(_ id: Int) {
            if id < byteBase { return }  // special tokens carry no text
            if id < byteBase + 256 { bytes.append(UInt8(id - byteBase)); return }
            let k = id - byteBase - 256
            guard k < merges.count else { return }
            append(merges[k][0])
            append(merges[k][1])
        }
        for id in ids { append(id) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of one token (its bytes decoded leniently), for inspecting a vocabulary.
    public func token(_ id: Int) -> String {
        id < byteBase ? specialTokens[id] : decode([id])
    }

    // MARK: - Pairs

    struct PairKey: Hashable, Comparable, Sendable {
        let first: Int
        let second: Int
        init(_ first: Int, _ second: Int) {
            self.first = first
            self.second = second
        }
        static func < (a: PairKey, b: PairKey) -> Bool { (a.first, a.second) < (b.first, b.second) }
    }

    private static func add(_ word: [Int], _ weight: Int, to counts: inout [PairKey: Int]) {
        guard word.count > 1 else { return }
        for i in 0..<(word.count - 1) { counts[PairKey(word[i], word[i + 1]), default: 0] += weight }
    }

    private static func contains(_ word: [Int], _ pair: PairKey) -> Bool {
        guard word.count > 1 else { return false }
        for i in 0..<(word.count - 1) where word[i] == pair.first && word[i + 1] == pair.second { return true }
        return false
    }

    /// `word` with every non-overlapping occurrence of `pair` (left to right) replaced by `id`.
    static func merged(_ word: [Int], _ pair: PairKey, into id: Int) -> [Int] {
        var out = [Int]()
        out.reserveCapacity(word.count)
        var i = 0
        while i < word.count {
            if i + 1 < word.count && word[i] == pair.first && word[i + 1] == pair.second {
                out.append(id)
                i += 2
            } else {
                out.append(word[i])
                i += 1
            }
        }
        return out
    }
}
