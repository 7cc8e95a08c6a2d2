/// How to read a delimited text file (CSV, TSV, `;`-separated): dialect, header, missing values,
/// encoding, column types and what to do with bad rows.
///
/// The defaults read RFC 4180 CSV with a header row. The UCI Adult files need three options — a
/// `", "` separator, a junk first line in `adult.test` and labels ending in `.` there:
///
/// ```swift
/// var options = CSVOptions(hasHeader: false, trimWhitespace: true)
/// options.columnNames = ["age", "workclass", /* … */ "income"]
/// options.skipLines = 1                          // adult.test's "|1x3 Cross validator" line
/// options.suffixesToStrip = ["income": "."]      // "<=50K." -> "<=50K"
/// let test = try CSVReader(options: options).read("adult/adult.test")
/// ```
public struct CSVOptions: Sendable {
    /// The field separator (one ASCII character: `,` `;` `\t` `|` …).
    public var delimiter: Unicode.Scalar
    /// Whether the first row (after `skipLines`) names the columns.
    public var hasHeader: Bool
    /// Column names for a file without a header (default `column1`, `column2`, …); with a header,
    /// replaces the header's names.
    public var columnNames: [String]?
    /// The quote character (`nil`: no quoting, every quote is ordinary text).
    public var quote: Unicode.Scalar?
    /// Physical lines dropped before anything is parsed (titles, junk lines). Line numbers in errors
    /// still count them.
    public var skipLines: Int
    /// Drop empty lines instead of reading them as rows.
    public var skipBlankLines: Bool
    /// Lines starting with this character are dropped.
    public var comment: Unicode.Scalar?
    /// Remove spaces and tabs around fields (`a, b` reads as `a` and `b`).
    public var trimWhitespace: Bool
    /// Field values that mean "missing" (NaN in numeric columns, nil in string columns).
    public var missingValues: Set<String>
    /// The text encoding of string fields.
    public var encoding: TextEncoding
    /// Declared column types by name; other columns are inferred (numeric when every present value
    /// parses as a number, else string).
    public var columnTypes: [String: ColumnType]
    /// A suffix removed from values of a column when present (`["income": "."]` for `adult.test`).
    public var suffixesToStrip: [String: String]
    /// Columns of `columnTypes` and `suffixesToStrip` that the file may lack (a label column absent from the
    /// data to predict for); any other column those options name must be in the file.
    public var optionalColumns: Set<String> = []
    /// What a malformed row does: stop with an error, or get skipped and reported.
    public var badRows: BadRowPolicy
    /// How many skipped-row reasons a table keeps (with `badRows: .skip`).
    public var maxReportedProblems: Int

    public init(delimiter: Unicode.Scalar = ",", hasHeader: Bool = true, quote: Unicode.Scalar? = "\"",
                skipLines: Int = 0, trimWhitespace: Bool = false,
                missingValues: Set<String> = ["", "?", "NA"], encoding: TextEncoding = .automatic,
                columnTypes: [String: ColumnType] = [:], badRows: BadRowPolicy = .fail) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.columnNames = nil
        self.quote = quote
        self.skipLines = skipLines
        self.skipBlankLines = true
        self.comment = nil
        self.trimWhitespace = trimWhitespace
        self.missingValues = missingValues
        self.encoding = encoding
        self.columnTypes = columnTypes
        self.suffixesToStrip = [:]
        self.badRows = badRows
        self.maxReportedProblems = 5
    }

    /// Tab-separated values with a header and no quoting.
    public static var tsv: CSVOptions { CSVOptions(delimiter: "\t", quote: nil) }

    var delimiterByte: UInt8 { UInt8(truncatingIfNeeded: delimiter.value) }
    var quoteByte: UInt8? { quote.map { UInt8(truncatingIfNeeded: $0.value) } }
    var commentByte: UInt8? { comment.map { UInt8(truncatingIfNeeded: $0.value) } }

    func validate() throws {
        for (name, scalar) in [("delimiter", delimiter), ("quote", quote), ("comment", comment)] {
            if let scalar, !scalar.isASCII || scalar == "\n" || scalar == "\r" {
                throw DataError.invalidOptions(reason: "the \(name) must be one ASCII character other than a line break, got \(scalar.escaped(asASCII: true))")
            }
        }
        if quote == delimiter { throw DataError.invalidOptions(reason: "the quote and the delimiter are both \(delimiter.escaped(asASCII: true))") }
        if skipLines < 0 { throw DataError.invalidOptions(reason: "skipLines must be >= 0, got \(skipLines)") }
    }
}

/// The type of a table column.
public enum ColumnType: String, Sendable, Codable {
    /// Numbers (float64; missing values are NaN).
    case numeric
    /// Text (categories, free text; missing values are nil).
    case string
}

/// The text encoding of a file's string fields.
public enum TextEncoding: Sendable {
    case utf8
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1
    /// UTF-8 when the whole file is valid UTF-8, else Latin-1.
    case automatic
}

/// What a reader does with a malformed row.
public enum BadRowPolicy: Sendable {
    /// Throw an error naming the file, line, column and reason of the first bad row.
    case fail
    /// Drop bad rows; the result reports how many and the first few reasons.
    case skip
}
