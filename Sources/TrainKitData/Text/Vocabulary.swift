/// A word-level vocabulary: token strings to ids, with a padding token (id 0) and an unknown token
/// (id 1) for words not in it. `Codable`, so a model saves the vocabulary it was trained with.
///
/// ```swift
/// let vocabulary = Vocabulary.build(from: [["a", "b", "a"], ["c"]], minFrequency: 2)
/// vocabulary.tokens                  // ["<pad>", "<unk>", "a"]
/// vocabulary.encode(["a", "zzz"])    // [2, 1]
/// ```
public struct Vocabulary: Codable, Sendable, Equatable {
    /// `tokens[id]` is the token of `id`.
    public let tokens: [String]
    public let padToken: String
    public let unknownToken: String
    private let ids: [String: Int]

    public init(tokens: [String], padToken: String = "<pad>", unknownToken: String = "<unk>") {
        var all = [padToken, unknownToken]
        for t in tokens where t != padToken && t != unknownToken && !all.contains(t) { all.append(t) }
        self.tokens = all
        self.padToken = padToken
        self.unknownToken = unknownToken
        self.ids = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
    }

    /// The tokens of `documents` seen at least `minFrequency` times, most frequent first (ties in
    /// string order), at most `maxSize` entries including the two special tokens.
    public static func build(from documents: [[String]], minFrequency: Int = 1, maxSize: Int? = nil,
                             padToken: String = "<pad>", unknownToken: String = "<unk>") -> Vocabulary {
        var counts = [String: Int]()
        for document in documents { for token in document { counts[token, default: 0] += 1 } }
        var kept = counts.filter { $0.value >= minFrequency && $0.key != padToken && $0.key != unknownToken }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        if let maxSize { kept = Array(kept.prefix(max(0, maxSize - 2))) }
        return Vocabulary(tokens: kept, padToken: padToken, unknownToken: unknownToken)
    }

    public var count: Int { tokens.count }
    public var padID: Int { 0 }
    public var unknownID: Int { 1 }

    /// The id of `token` (the unknown id when absent).
    public func id(_ token: String) -> Int { ids[token] ?? unknownID }
    public func encode(_ tokens: [String]) -> [Int] { tokens.map(id) }
    public func decode(_ ids: [Int]) -> [String] { ids.map { tokens.indices.contains($0) ? tokens[$0] : unknownToken } }

    enum CodingKeys: String, CodingKey { case tokens, padToken, unknownToken }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tokens: try c.decode([String].self, forKey: .tokens), padToken: try c.decode(String.self, forKey: .padToken),
                  unknownToken: try c.decode(String.self, forKey: .unknownToken))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(padToken, forKey: .padToken)
        try c.encode(unknownToken, forKey: .unknownToken)
    }
}

/// Words and punctuation (optionally lowercased) mapped through a ``Vocabulary``.
///
/// ```swift
/// let tokenizer = WordTokenizer.fit(sms.texts, minFrequency: 2, maxSize: 20_000)
/// tokenizer.encode("Free entry!")   // e.g. [57, 410, 23]
/// ```
public struct WordTokenizer: TextTokenizer, Codable, Equatable {
    public let vocabulary: Vocabulary
    public let lowercase: Bool

    public init(vocabulary: Vocabulary, lowercase: Bool = true) {
        self.vocabulary = vocabulary
        self.lowercase = lowercase
    }

    /// Builds the vocabulary from `texts` (see ``Vocabulary/build(from:minFrequency:maxSize:padToken:unknownToken:)``).
    public static func fit(_ texts: [String], lowercase: Bool = true, minFrequency: Int = 1, maxSize: Int? = nil) -> WordTokenizer {
        let split = WordTokenizer(vocabulary: Vocabulary(tokens: []), lowercase: lowercase)
        return WordTokenizer(vocabulary: .build(from: texts.map(split.words), minFrequency: minFrequency, maxSize: maxSize),
                             lowercase: lowercase)
    }

    /// The words of `text` before lookup (lowercased when `lowercase`).
    public func words(_ text: String) -> [String] { TextSplitting.words(lowercase ? text.lowercased() : text) }

    public func encode(_ text: String) -> [Int] { vocabulary.encode(words(text)) }
    public func decode(_ ids: [Int]) -> String {
        vocabulary.decode(ids.filter { $0 != padID }).joined(separator: " ")
    }
    public var padID: Int { vocabulary.padID }
    public var vocabularySize: Int { vocabulary.count }
}
