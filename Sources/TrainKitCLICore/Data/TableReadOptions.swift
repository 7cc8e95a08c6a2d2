import Foundation
import TrainKit

/// How a run reads its delimited files (saved in model.json, so `evaluate` and `predict` read new files the
/// same way): the dialect, the header, missing-value tokens, suffixes to strip and the column types seen in
/// training.
public struct TableReadOptions: Codable, Equatable, Sendable {
    public var delimiter: String
    public var header: Bool
    public var columns: [String]?
    public var comment: String?
    public var missingValues: [String]
    public var stripSuffix: [String: String]
    /// Column types fixed from the training file (so a test file reads its columns the same way).
    public var columnTypes: [String: ColumnType]

    /// The options a data config asks for; the delimiter is sniffed from `file` when the config has none.
    init(config d: DataConfig, file: String) throws {
        delimiter = try d.delimiter ?? Self.sniffDelimiter(file)
        header = d.header
        columns = d.columns
        comment = d.comment
        missingValues = d.missingValues
        stripSuffix = d.stripSuffix
        columnTypes = [:]
    }

    var csvOptions: CSVOptions {
        var o = CSVOptions(delimiter: delimiter.unicodeScalars.first!, hasHeader: header,
                           quote: delimiter == "\t" ? nil : "\"", missingValues: Set(missingValues),
                           columnTypes: columnTypes)
        o.columnNames = columns
        o.comment = comment?.unicodeScalars.first
        o.suffixesToStrip = stripSuffix
        o.trimWhitespace = true
        return o
    }

    /// Reads `file`; the typed columns in `optional` may be absent from it (the label column of data to predict for).
    func read(_ file: String, optional: Set<String> = []) throws -> DataTable {
        try readWithLines(file, optional: optional).table
    }

    /// Reads `file` with the line each data row starts on (for messages that name a row of the file).
    func readWithLines(_ file: String, optional: Set<String> = []) throws -> (table: DataTable, lines: [Int]) {
        var options = csvOptions
        options.optionalColumns = optional
        return try CSVReader(options: options).readWithLines(file)
    }

    /// `\t` for `.tsv` / `.tab` files, else whichever of `,` `;` `\t` `|` occurs most in the first line.
    static func sniffDelimiter(_ file: String) throws -> String {
        let ext = URL(fileURLWithPath: file).pathExtension.lowercased()
        if ext == "tsv" || ext == "tab" { return "\t" }
        try RegularFile.check(file)
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw DataError.unreadable(file: file, reason: "cannot open")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        let text = String(decoding: head, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first(where: { !$0.hasPrefix("|") && !$0.hasPrefix("#") }) ?? ""
        let counts = [",", ";", "\t", "|"].map { d in (d, line.filter { String($0) == d }.count) }
        return counts.max(by: { $0.1 < $1.1 }).flatMap { $0.1 > 0 ? $0.0 : nil } ?? ","
    }
}
