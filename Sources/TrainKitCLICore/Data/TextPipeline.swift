import Foundation
import TrainKit

/// The fitted preprocessing of labelled texts: the tokenizer (a word vocabulary with optional n-grams, or a
/// byte-level BPE), the sequence length, and how files are read.
public struct TextPreprocessing: Codable, Sendable {
    public var tokenizer: String
    public var vocabulary: Vocabulary?
    public var bpe: BPETokenizer?
    public var lowercase: Bool
    public var ngrams: Int
    public var maxLength: Int
    public var labelFirst: Bool
    public var textColumn: String?
    public var labelColumn: String?
    public var read: TableReadOptions?

    /// The number of token ids (the embedding table's rows); id 0 pads.
    public var vocabularySize: Int { bpe?.vocabularySize ?? vocabulary?.count ?? 0 }

    /// Words, with n-grams up to `ngrams` interleaved after the word that ends them.
    static func tokens(_ text: String, lowercase: Bool, ngrams: Int) -> [String] {
        let words = TextSplitting.words(lowercase ? text.lowercased() : text)
        guard ngrams > 1 else { return words }
        var out = [String]()
        out.reserveCapacity(words.count * ngrams)
        for i in words.indices {
            out.append(words[i])
            for n in 2...ngrams where i + 1 >= n {
                out.append(words[(i + 1 - n)...i].joined(separator: " "))
            }
        }
        return out
    }

    func ids(_ text: String) -> [Int] {
        if let bpe { return bpe.encode(text) }
        return vocabulary!.encode(Self.tokens(text, lowercase: lowercase, ngrams: ngrams))
    }

    /// The share of word tokens in `texts` that the vocabulary does not know, above which a warm start that keeps
    /// it warns (a byte-level BPE knows every text: nil).
    static let driftShare = 0.1

    func unknownShare(_ texts: [String]) -> Double? {
        guard bpe == nil, let vocabulary else { return nil }
        var unknown = 0, total = 0
        for text in texts {
            let ids = vocabulary.encode(Self.tokens(text, lowercase: lowercase, ngrams: 1))
            total += ids.count
            unknown += ids.count { $0 == vocabulary.unknownID }
        }
        return total == 0 ? nil : Double(unknown) / Double(total)
    }

    /// Token ids padded (with 0) or cut to `maxLength`: int64 `[N, maxLength]`.
    func encode(_ texts: [String]) -> Tensor {
        padSequences(texts.map(ids), length: maxLength, padID: 0)
    }

    static func fit(_ texts: [String], config t: TokenizerConfig) -> (vocabulary: Vocabulary?, bpe: BPETokenizer?) {
        if t.kind == "bpe" {
            return (nil, BPETokenizer.train(on: texts, vocabularySize: t.vocabSize, lowercase: t.lowercase))
        }
        let documents = texts.map { tokens($0, lowercase: t.lowercase, ngrams: t.ngrams) }
        return (Vocabulary.build(from: documents, minFrequency: t.minFrequency, maxSize: t.vocabSize), nil)
    }

    /// Reads a text file the way training did; lines without a label are allowed for prediction.
    func read(file: String, classes: [String]?, strictLabels: Bool) throws -> (texts: [String], labels: [Int]?) {
        if let textColumn, let labelColumn, let read {
            let table = try read.read(file)
            let texts = try table.column(textColumn).asStrings().map { $0 ?? "" }
            guard let labels = table[labelColumn]?.asStrings() else { return (texts, nil) }
            do {
                return (texts, try classIndices(labels.map { $0 ?? "" }, classes: classes, source: file,
                                                column: "label column '\(labelColumn)'").labels)
            } catch where !strictLabels {
                return (texts, nil)
            }
        }
        do {
            let data = try TextClassificationDataset.tabSeparated(file: file, labelFirst: labelFirst, classes: classes)
            return (data.texts, data.labels)
        } catch DataError.invalidFormat where !strictLabels {
            return try unlabelledLines(file)  // labels the model does not know: keep the lines as they are
        } catch DataError.malformed(_, _, _, let reason) where reason.contains("no TAB") {
            return try unlabelledLines(file)
        }
    }

    /// Every non-empty line as a text: the part after the first TAB (before it with `labelFirst: false`) when
    /// the line has one, else the whole line.
    private func unlabelledLines(_ file: String) throws -> (texts: [String], labels: [Int]?) {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw DataError.unreadable(file: file, reason: "cannot open")
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        return (lines.map { line in
            guard let tab = line.firstIndex(of: "\t") else { return String(line) }
            return String(labelFirst ? line[line.index(after: tab)...] : line[..<tab])
        }, nil)
    }

    func inputs(file: String, classes: [String], strictLabels: Bool) throws -> PreparedInputs {
        let (texts, labels) = try read(file: file, classes: classes, strictLabels: strictLabels)
        return PreparedInputs(features: encode(texts), labels: labels.map { Tensor($0) },
                              rowNames: (0..<texts.count).map { String($0 + 1) })
    }
}

/// Reads a text classification run: labelled texts, stratified test and validation splits, a tokenizer
/// fitted on the training texts.
enum TextPipeline {
    /// - Parameter kept: a warm start's preprocessing to use instead of fitting a tokenizer (its vocabulary or
    ///   BPE merges, sequence length, file layout and classes; ``WarmStart``): a class it does not know is a data
    ///   error, and a warning says when many of the new training tokens are outside its vocabulary.
    static func prepare(_ config: RunConfig, rows: SplitPlan? = nil, kept: Preprocessing? = nil) throws -> PreparedData {
        let d = config.data
        let read = try d.textColumn.map { _ in try TableReadOptions(config: d, file: d.train) }
        var pre = kept?.text ?? TextPreprocessing(
            tokenizer: d.tokenizer.kind, vocabulary: nil, bpe: nil, lowercase: d.tokenizer.lowercase,
            ngrams: d.tokenizer.ngrams, maxLength: d.tokenizer.maxLength, labelFirst: d.labelFirst,
            textColumn: d.textColumn, labelColumn: d.labelColumn, read: read)
        let all = try load(pre, file: d.train, classes: kept?.classes)
        guard kept != nil || all.classes.count >= 2 else {
            throw DataError.invalidFormat(file: d.train, reason: "needs two or more classes, found \(all.classes)")
        }
        let test = try d.test.map { try load(pre, file: $0, classes: all.classes) }
        let plan = rows ?? SplitPlan(count: all.texts.count, labels: d.stratify ? all.labels : nil,
                                     testFraction: test == nil ? d.testSplit : 0,
                                     validationFraction: d.validationSplit, seed: config.seed)
        var warnings: [String] = []
        if kept == nil {
            let fitted = TextPreprocessing.fit(plan.train.map { all.texts[$0] }, config: d.tokenizer)
            pre.vocabulary = fitted.vocabulary
            pre.bpe = fitted.bpe
        } else if let share = pre.unknownShare(plan.train.map { all.texts[$0] }), share > TextPreprocessing.driftShare {
            warnings.append(String(
                format: "%@: %.1f%% of the training tokens are outside the --init-from model's vocabulary (they encode as unknown; pass --refit-preprocessing to build a new one)",
                d.train, 100 * share))
        }
        func dataset(_ texts: [String], _ labels: [Int]) -> TensorDataset {
            TensorDataset(features: pre.encode(texts), labels: Tensor(labels))
        }
        func part(_ indices: [Int]) -> TensorDataset? {
            indices.isEmpty ? nil : dataset(indices.map { all.texts[$0] }, indices.map { all.labels[$0] })
        }
        var result = PreparedData(train: part(plan.train)!, validation: part(plan.validation),
                                  test: test.map { dataset($0.texts, $0.labels) } ?? part(plan.test),
                                  preprocessing: Preprocessing(format: .text, task: .classification, classes: all.classes))
        result.preprocessing.text = pre
        result.warnings = warnings
        return result
    }

    static func load(_ pre: TextPreprocessing, file: String, classes: [String]?) throws -> (texts: [String], labels: [Int], classes: [String]) {
        if let textColumn = pre.textColumn, let labelColumn = pre.labelColumn, let read = pre.read {
            let table = try read.read(file)
            try ColumnCheck.require([textColumn], key: "data.text_column", in: table)
            try ColumnCheck.require([labelColumn], key: "data.label_column", in: table)
            let texts = try table.column(textColumn).asStrings().map { $0 ?? "" }
            let names = try table.column(labelColumn).asStrings().map { $0 ?? "" }
            let found = try classIndices(names, classes: classes, source: file, column: "label column '\(labelColumn)'")
            return (texts, found.labels, found.classes)
        }
        let data = try TextClassificationDataset.tabSeparated(file: file, labelFirst: pre.labelFirst, classes: classes)
        return (data.texts, data.labels, data.classes)
    }
}
