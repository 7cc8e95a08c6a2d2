/// A pass over YAML text, before it is parsed, that refuses lists and mappings nested deeper than
/// ``ConfigLimits/maxDepth`` and notes where anchors (`&name`) and aliases (`*name`) are.
///
/// The YAML reader (Yams' composer) recurses once per nesting level and runs out of stack near 5,000 levels,
/// so depth has to be known before it runs. The scan reads the layout: each deeper indentation, `- ` or `? `
/// entry of a block is a level, and so is each open `[` or `{`; quoted scalars, comments and block scalars
/// (`|`, `>`) are skipped. It may count a level YAML would not (a plain scalar continued on a deeper line)
/// and may count an indentless sequence with its parent, so its count is within a factor of two of the real
/// depth, far below the reader's limit. One linear pass over the bytes.
struct YAMLDepthScan {
    /// A 1-based line and column of the text.
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// The anchors in text order.
    private(set) var anchors: [(name: String, at: Position)] = []
    /// Where each alias name is first used.
    private(set) var firstAlias: [String: Position] = [:]

    /// Scans `text`; throws ``ConfigError/invalidValue(path:reason:location:)`` at the first place nested more
    /// than `limit` levels deep, naming the block keys above it.
    init(_ text: String, file: String, limit: Int = ConfigLimits.maxDepth) throws {
        var text = text
        var scanner = Scanner(file: file, limit: limit)
        try text.withUTF8 { try scanner.scan($0) }
        anchors = scanner.anchors
        firstAlias = scanner.firstAlias
    }

    /// The anchor defined at or just before `position` on its line (Yams places an anchored node's mark at
    /// the anchor or at the node after it).
    func anchor(at position: Position) -> String? {
        anchors.last { $0.at.line == position.line && $0.at.column <= position.column }?.name
    }
}

private let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

private func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }

private func isFlowIndicator(_ c: UInt8) -> Bool {
    c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{")
        || c == UInt8(ascii: "}")
}

/// The scan's state as it walks the bytes line by line.
private struct Scanner {
    let file: String
    let limit: Int
    var anchors: [(name: String, at: YAMLDepthScan.Position)] = []
    var firstAlias: [String: YAMLDepthScan.Position] = [:]

    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var line = 0, lineStart = 0
    /// The open block levels: their indentation and the key written at that level, if any (a byte range).
    private var blocks: [(indent: Int, key: Range<Int>?)] = []
    private var flow = 0
    /// The quote of a quoted scalar still open at the end of a line.
    private var quote: UInt8 = 0
    /// Inside a block scalar: the indentation its lines must exceed.
    private var blockScalarParent: Int?

    init(file: String, limit: Int) {
        self.file = file
        self.limit = limit
    }

    mutating func scan(_ text: UnsafeBufferPointer<UInt8>) throws {
        bytes = text
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            line += 1
            lineStart = start
            try scanLine(to: end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end)
            start = end + 1
        }
    }

    private mutating func scanLine(to end: Int) throws {
        var p = lineStart
        if quote != 0 {
            p = skipQuoted(from: p, to: end)
            if quote != 0 { return }
            try scanRest(from: p, to: end, atNode: false)
            return
        }
        while p < end && bytes[p] == space { p += 1 }
        let indent = p - lineStart
        if let parent = blockScalarParent {
            if p == end || indent > parent { return }
            blockScalarParent = nil
        }
        guard p < end else { return }
        if flow == 0 {
            let c = bytes[p]
            if c == UInt8(ascii: "#") || (indent == 0 && c == UInt8(ascii: "%")) { return }
            if indent == 0 && isDocumentMarker(at: p, to: end) {
                blocks.removeAll()
                try scanRest(from: p + 3, to: end, atNode: true)
                return
            }
            while let last = blocks.last, last.indent >= indent { blocks.removeLast() }
            blocks.append((indent, nil))
            try checkDepth(at: p)
        }
        try scanRest(from: p, to: end, atNode: true)
    }

    /// Scans from `p` to the end of the line; `atNode` is true where a new value may begin.
    private mutating func scanRest(from p: Int, to end: Int, atNode: Bool) throws {
        var p = p, atNode = atNode
        while p < end {
            let c = bytes[p]
            if isBlank(c) {
                p += 1
                continue
            }
            if c == UInt8(ascii: "#") && (p == lineStart || isBlank(bytes[p - 1])) { return }
            if atNode && (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) {
                quote = c
                p = skipQuoted(from: p + 1, to: end)
                if quote != 0 { return }
                atNode = false
                continue
            }
            if atNode && (c == UInt8(ascii: "&") || c == UInt8(ascii: "!") || c == UInt8(ascii: "*")) {
                let tokenEnd = endOfToken(from: p + 1, to: end)
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(p + 1)..<tokenEnd]), as: UTF8.self)
                let position = YAMLDepthScan.Position(line: line, column: p - lineStart + 1)
                if c == UInt8(ascii: "&") { anchors.append((name, position)) }
                if c == UInt8(ascii: "*") {
                    if firstAlias[name] == nil { firstAlias[name] = position }
                    atNode = false
                }
                p = tokenEnd
                continue
            }
            if (c == UInt8(ascii: "[") || c == UInt8(ascii: "{")) && (atNode || flow > 0) {
                flow += 1
                try checkDepth(at: p)
                atNode = true
                p += 1
                continue
            }
            let followedByBlank = p + 1 == end || isBlank(bytes[p + 1])
            if flow > 0 {
                switch c {
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flow -= 1; atNode = false
                case UInt8(ascii: ","): atNode = true
                case UInt8(ascii: ":") where followedByBlank || isFlowIndicator(bytes[p + 1]): atNode = true
                case UInt8(ascii: "?") where atNode && followedByBlank: break
                default: atNode = false
                }
                p += 1
                continue
            }
            if atNode && (c == UInt8(ascii: "-") || c == UInt8(ascii: "?")) && followedByBlank {
                try openBlock(at: p, key: nil)
                p += 1
                continue
            }
            if atNode && (c == UInt8(ascii: "|") || c == UInt8(ascii: ">")) {
                blockScalarParent = blocks.last?.indent ?? -1
                return
            }
            if c == UInt8(ascii: ":") && followedByBlank {
                atNode = true
                p += 1
                continue
            }
            guard atNode else {
                p += 1
                continue
            }
            // A plain scalar: a key when `: ` follows it on this line, else the rest of the line.
            var q = p
            while q < end {
                let d = bytes[q]
                if d == UInt8(ascii: ":") && (q + 1 == end || isBlank(bytes[q + 1])) { break }
                if d == UInt8(ascii: "#") && q > p && isBlank(bytes[q - 1]) { return }
                q += 1
            }
            guard q < end else { return }
            var keyEnd = q
            while keyEnd > p && isBlank(bytes[keyEnd - 1]) { keyEnd -= 1 }
            try openBlock(at: p, key: p..<keyEnd)
            p = q + 1
        }
    }

    /// A `- `, `? ` or key at `p`: a new block level when it is further right than the current one.
    private mutating func openBlock(at p: Int, key: Range<Int>?) throws {
        let column = p - lineStart
        if let last = blocks.last, last.indent >= column {
            if key != nil { blocks[blocks.count - 1].key = key }
            return
        }
        blocks.append((column, key))
        try checkDepth(at: p)
    }

    private func checkDepth(at p: Int) throws {
        guard blocks.count + flow > limit else { return }
        let keys = blocks.compactMap(\.key).map {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)
        }
        throw ConfigError.invalidValue(
            path: keys.isEmpty ? "<document>" : keys.joined(separator: "."),
            reason: "lists and mappings nest more than \(limit) levels deep here; a config may nest at most \(limit)",
            location: ConfigLocation(file: file, line: line, column: p - lineStart + 1))
    }

    /// Past the closing quote (clearing `quote`), or `end` with `quote` still set.
    private mutating func skipQuoted(from p: Int, to end: Int) -> Int {
        var p = p
        while p < end {
            let c = bytes[p]
            if quote == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") {
                p += 2
                continue
            }
            if c == quote {
                if quote == UInt8(ascii: "'") && p + 1 < end && bytes[p + 1] == quote {
                    p += 2
                    continue
                }
                quote = 0
                return p + 1
            }
            p += 1
        }
        return end
    }

    private func endOfToken(from p: Int, to end: Int) -> Int {
        var p = p
        while p < end && !isBlank(bytes[p]) && !isFlowIndicator(bytes[p]) { p += 1 }
        return p
    }

    private func isDocumentMarker(at p: Int, to end: Int) -> Bool {
        guard p + 3 <= end else { return false }
        let c = bytes[p]
        guard c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else { return false }
        return bytes[p + 1] == c && bytes[p + 2] == c && (p + 3 == end || isBlank(bytes[p + 3]))
    }
}
