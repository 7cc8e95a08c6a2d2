/// Splits delimited text into rows and fields without copying: each field is a byte range.
///
/// RFC 4180 quoting: a field that starts with the quote character runs to the next lone quote, may hold
/// delimiters and line breaks, and writes a quote as two quotes. A quote inside an unquoted field is
/// an ordinary character. Records end at LF, CRLF or a lone CR. Line numbers count physical lines
/// (1-based), including line breaks inside quoted fields, so errors point at the right line.
struct CSVTokenizer {
    struct Problem {
        var row: Int
        var line: Int
        var column: Int
        var reason: String
    }

    /// Field `k` is `bytes[starts[k] ..< ends[k] & 0x7FFF_FFFF]`; bit 31 of `ends[k]` marks a quoted field
    /// holding doubled quotes to unescape.
    var starts: [UInt32] = []
    var ends: [UInt32] = []
    /// Row `r` has fields `rowStarts[r] ..< rowStarts[r + 1]`.
    var rowStarts: [Int] = [0]
    /// The physical line (1-based) where row `r` starts.
    var rowLines: [Int] = []
    /// Structural problems (unterminated quote, text after a closing quote), in row order.
    var problems: [Problem] = []

    static let escapedFlag: UInt32 = 1 << 31

    var rowCount: Int { rowLines.count }

    /// Tokenizes `bytes[start...]`, whose first byte is on line `firstLine`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, firstLine: Int, options: CSVOptions) {
        let n = bytes.count
        guard let p = bytes.baseAddress, start < n else { return }
        let delimiter = options.delimiterByte
        let quote = options.quoteByte
        let trim = options.trimWhitespace
        let comment = options.commentByte
        let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { (c == 0x20 || c == 0x09) && c != delimiter }

        starts.reserveCapacity(n / 8)
        ends.reserveCapacity(n / 8)
        var i = start
        var line = firstLine

        rows: while i < n {
            // Blank lines and comment lines.
            if p[i] == lf || p[i] == cr {
                if options.skipBlankLines {
                    i += (p[i] == cr && i + 1 < n && p[i + 1] == lf) ? 2 : 1
                    line += 1
                    continue rows
                }
            } else if let comment, p[i] == comment {
                while i < n && p[i] != lf && p[i] != cr { i += 1 }
                if i < n { i += (p[i] == cr && i + 1 < n && p[i + 1] == lf) ? 2 : 1 }
                line += 1
                continue rows
            }
            let row = rowLines.count
            rowLines.append(line)
            var column = 1
            fields: while true {
                var s = i
                if trim { while s < n && isSpace(p[s]) { s += 1 } }
                if let quote, s < n && p[s] == quote {
                    let openLine = line
                    var j = s + 1
                    var escaped = false
                    while true {
                        if j >= n {
                            problems.append(Problem(row: row, line: openLine, column: column,
                                                    reason: "unterminated quoted field (opened here, still open at the end of the file)"))
                            append(s + 1, n, escaped: false)
                            i = n
                            break fields
                        }
                        let c = p[j]
                        if c == quote {
                            if j + 1 < n && p[j + 1] == quote {
                                escaped = true
                                j += 2
                                continue
                            }
                            break
                        }
                        if c == lf || (c == cr && !(j + 1 < n && p[j + 1] == lf)) { line += 1 }
                        j += 1
                    }
                    append(s + 1, j, escaped: escaped)
                    i = j + 1
                    if trim { while i < n && isSpace(p[i]) { i += 1 } }
                    if i < n && p[i] != delimiter && p[i] != lf && p[i] != cr {
                        problems.append(Problem(row: row, line: line, column: column,
                                                reason: "unexpected text after the closing quote of a quoted field"))
                        while i < n && p[i] != delimiter && p[i] != lf && p[i] != cr { i += 1 }
                    }
                } else {
                    var j = s
                    while j < n {
                        let c = p[j]
                        if c == delimiter || c == lf || c == cr { break }
                        j += 1
                    }
                    var e = j
                    if trim { while e > s && isSpace(p[e - 1]) { e -= 1 } }
                    append(s, e, escaped: false)
                    i = j
                }
                // After a field: a delimiter, a record end, or the end of the file.
                if i >= n { break fields }
                if p[i] == delimiter {
                    i += 1
                    column += 1
                    continue fields
                }
                i += (p[i] == cr && i + 1 < n && p[i + 1] == lf) ? 2 : 1
                line += 1
                break fields
            }
            rowStarts.append(starts.count)
        }
    }

    @inline(__always) private mutating func append(_ start: Int, _ end: Int, escaped: Bool) {
        starts.append(UInt32(truncatingIfNeeded: start))
        ends.append(UInt32(truncatingIfNeeded: end) | (escaped ? Self.escapedFlag : 0))
    }

    /// The number of fields in row `r`.
    @inline(__always) func fieldCount(_ r: Int) -> Int { rowStarts[r + 1] - rowStarts[r] }
}
