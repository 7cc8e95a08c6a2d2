/// An error reading data from a file: what went wrong and where.
///
/// `description` reads like a compiler diagnostic, `file:line:column: reason`, so a message names the
/// file, the 1-based line, the 1-based column (the field number in delimited text) and the reason:
///
/// ```
/// adult.data:12:3: column 'fnlwgt' is numeric but the value is "abc"
/// train-images-idx3-ubyte.gz: gzip: truncated: the deflate stream ends at byte 4096 before its final block
/// ```
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// The gzip container or its deflate stream is corrupt or truncated.
    case gzip(file: String, reason: String)
    /// The content is malformed at a line and column of the file (column 0 when it applies to the whole line).
    case malformed(file: String, line: Int, column: Int, reason: String)
    /// The content is malformed in a way not tied to a line (binary formats, whole-file checks).
    case invalidFormat(file: String, reason: String)
    /// A column named in the options is not in the file's header.
    case missingColumn(file: String, name: String, available: [String])
    /// Options that contradict each other or the data.
    case invalidOptions(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .gzip(file, reason): "\(file): gzip: \(reason)"
        case let .malformed(file, line, column, reason): "\(file):\(line):\(column): \(reason)"
        case let .invalidFormat(file, reason): "\(file): \(reason)"
        case let .missingColumn(file, name, available):
            "\(file): no column named '\(name)' (columns: \(ColumnNameList.describe(available)))"
        case let .invalidOptions(reason): "invalid options: \(reason)"
        }
    }

    /// The file the error is about, if any.
    public var file: String? {
        switch self {
        case let .unreadable(file, _), let .gzip(file, _), let .malformed(file, _, _, _),
             let .invalidFormat(file, _), let .missingColumn(file, _, _): file
        case .invalidOptions: nil
        }
    }
}
