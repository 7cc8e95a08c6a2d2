/// Something that turns text into token ids: ``WordTokenizer``, ``BPETokenizer``.
public protocol TextTokenizer: Sendable {
    /// The token ids of `text`.
    func encode(_ text: String) -> [Int]
    /// The text of `ids` (approximate for word tokenizers: words joined by spaces).
    func decode(_ ids: [Int]) -> String
    /// The id used to pad sequences to a common length.
    var padID: Int { get }
    /// The number of distinct ids (the embedding table's size).
    var vocabularySize: Int { get }
}

/// Splitting text into words and punctuation, the pre-tokenization shared by the tokenizers.
public enum TextSplitting {
    enum Kind { case letter, digit, space, other }

    static func kind(_ s: Unicode.Scalar) -> Kind {
        let p = s.properties
        if p.isWhitespace { return .space }
        if p.isAlphabetic || s == "'" { return .letter }
        if p.numericType != nil { return .digit }
        return .other
    }

    /// Words (letters and apostrophes), numbers, and single punctuation characters; whitespace dropped.
    /// `"Don't stop, 2 go!"` gives `["Don't", "stop", ",", "2", "go", "!"]`.
    public static func words(_ text: String) -> [String] {
        var tokens = [String]()
        var current = String.UnicodeScalarView()
        var currentKind = Kind.space
        func flush() {
            if !current.isEmpty { tokens.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            let k = kind(scalar)
            if k != currentKind || k == .other { flush() }
            currentKind = k
            if k != .space { current.append(scalar) }
        }
        flush()
        return tokens
    }

    /// GPT-2 style chunks that keep the spaces: a run of letters, digits or other characters with at
    /// most one leading space, or a run of whitespace. Concatenating the chunks gives back `text`.
    public static func chunks(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var chunks = [String]()
        var i = 0
        while i < scalars.count {
            let start = i
            if scalars[i] == " " && i + 1 < scalars.count && kind(scalars[i + 1]) != .space { i += 1 }
            let k = kind(scalars[i])
            repeat { i += 1 } while i < scalars.count && kind(scalars[i]) == k && !(k == .space && scalars[i] == " "
                && i + 1 < scalars.count && kind(scalars[i + 1]) != .space)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<i])
            chunks.append(String(view))
        }
        return chunks
    }
}
