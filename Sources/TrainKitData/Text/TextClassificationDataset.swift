import TrainKitCore

/// One labelled text: the raw string and its class index.
public struct TextExample: Sendable, Equatable {
    public var text: String
    public var label: Int

    public init(text: String, label: Int) {
        self.text = text
        self.label = label
    }
}

/// Texts with class labels, read from `label<TAB>text` lines (the SMS Spam Collection) or from a
/// CSV with a text and a label column (BANKING77).
///
/// Labels are indices into `classes` (sorted distinct names unless given). Turn the texts into token
/// ids with a tokenizer: ``encoded(with:length:)`` gives a ``TensorDataset`` of `[N, length]` int64.
///
/// ```swift
/// let sms = try TextClassificationDataset.tabSeparated(file: "sms-spam-collection/SMSSpamCollection")
/// print(sms.count, sms.classes)   // 5574 ["ham", "spam"]
/// ```
public struct TextClassificationDataset: Dataset {
    public let texts: [String]
    public let labels: [Int]
    public let classes: [String]
    /// Lines or rows dropped as malformed while reading (with `badRows: .skip`).
    public internal(set) var skippedRowCount = 0
    /// The reasons for the first few of them.
    public internal(set) var skippedRowReasons: [DataError] = []

    /// - Parameter classes: the class names labels index into (default: the sorted distinct labels).
    public init(texts: [String], labelNames: [String], classes: [String]? = nil, source: String = "<memory>") throws {
        precondition(texts.count == labelNames.count, "TextClassificationDataset: \(texts.count) texts, \(labelNames.count) labels")
        let (indices, names) = try CSVDataset.classIndices(.string(labelNames), name: "label", source: source, classes: classes)
        self.texts = texts
        self.labels = indices
        self.classes = names
    }

    public var count: Int { texts.count }

    public subscript(index: Int) -> TextExample {
        checkIndex(index)
        return TextExample(text: texts[index], label: labels[index])
    }

    /// Reads `label<TAB>text` lines (or `text<TAB>label` with `labelFirst: false`): each line is split
    /// at its first TAB only, with no quoting, so texts keep their quotes and later TABs. Blank lines
    /// are skipped; UTF-8 with a Latin-1 fallback.
    /// - Throws: ``DataError/malformed(file:line:column:reason:)`` for a line without a TAB, unless
    ///   `badRows` is `.skip`.
    public static func tabSeparated(file: String, labelFirst: Bool = true, classes: [String]? = nil,
                                    badRows: BadRowPolicy = .fail) throws -> TextClassificationDataset {
        let bytes = try FileBytes.readDecompressing(file)
        var texts = [String](), labels = [String]()
        var skipped = [DataError]()
        try bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            let latin1 = !TextDecoding.isValidUTF8(buffer)
            var lineStart = 0, line = 1
            while lineStart < buffer.count {
                var end = lineStart
                while end < buffer.count && p[end] != 0x0A { end += 1 }
                let next = end + 1
                if end > lineStart && p[end - 1] == 0x0D { end -= 1 }
                defer { lineStart = next; line += 1 }
                if end == lineStart { continue }
                guard let tab = (lineStart..<end).first(where: { p[$0] == 0x09 }) else {
                    let problem = DataError.malformed(file: file, line: line, column: 1,
                                                      reason: "no TAB between the label and the text")
                    if badRows == .fail { throw problem }
                    skipped.append(problem)
                    continue
                }
                let first = TextDecoding.string(p, lineStart, tab, latin1: latin1)
                let second = TextDecoding.string(p, tab + 1, end, latin1: latin1)
                labels.append(labelFirst ? first : second)
                texts.append(labelFirst ? second : first)
            }
        }
        var dataset = try TextClassificationDataset(texts: texts, labelNames: labels, classes: classes, source: file)
        dataset.skippedRowCount = skipped.count
        dataset.skippedRowReasons = Array(skipped.prefix(5))
        return dataset
    }

    /// Reads a CSV (or other delimited) file with a text column and a label column.
    public static func csv(file: String, textColumn: String, labelColumn: String, options: CSVOptions = CSVOptions(),
                           classes: [String]? = nil) throws -> TextClassificationDataset {
        var options = options
        options.columnTypes[textColumn] = .string
        options.columnTypes[labelColumn] = .string
        options.missingValues = []
        let table = try CSVReader(options: options).read(file)
        let texts = try table.column(textColumn).asStrings().map { $0 ?? "" }
        let labels = try table.column(labelColumn).asStrings().map { $0 ?? "" }
        var dataset = try TextClassificationDataset(texts: texts, labelNames: labels, classes: classes, source: file)
        dataset.skippedRowCount = table.skippedRowCount
        dataset.skippedRowReasons = table.skippedRowReasons
        return dataset
    }
}
