import Foundation

/// The confusion matrix of a classification run: `confusion.csv` beside the report with every cell, and the
/// report's section. Up to ``fullTableLimit`` classes the section is the whole matrix; beyond that (BANKING77's
/// 77 classes would make a table 17,000 px wide) it lists the most frequent confusions and links the CSV.
struct ConfusionReport {
    /// Rows: true class, columns: predicted class.
    var matrix: [[Int]]
    var classes: [String]
    /// Which examples were counted ("test set, 321 examples").
    var part: String

    /// The most classes shown as a full table in the page.
    static let fullTableLimit = 20
    /// How many confusions the page lists when the matrix is too large to show.
    static let topConfusionLimit = 20
    /// The file beside `report.html` with every cell.
    static let fileName = "confusion.csv"

    /// Every cell: a header of predicted classes, then one row per true class (RFC 4180 quoting).
    var csv: String {
        var lines = [(["true \\ predicted"] + classes).map(Self.csvField).joined(separator: ",")]
        for (i, row) in matrix.enumerated() {
            lines.append(([Self.csvField(classes[i])] + row.map(String.init)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Off-diagonal cells with a count, most frequent first (ties: by true class, then predicted class).
    var confusions: [(actual: Int, predicted: Int, count: Int)] {
        var cells: [(actual: Int, predicted: Int, count: Int)] = []
        for (i, row) in matrix.enumerated() {
            for (j, n) in row.enumerated() where i != j && n > 0 { cells.append((i, j, n)) }
        }
        return cells.sorted { ($0.count, -$0.actual, -$0.predicted) > ($1.count, -$1.actual, -$1.predicted) }
    }

    /// The page's section: the full matrix, or the top confusions, with a link to ``fileName``.
    var html: String {
        let title = "<h2>Confusion matrix (\(HTMLText.escape(part)))</h2>"
        let link = "<a href=\"\(Self.fileName)\">\(Self.fileName)</a>"
        if classes.count <= Self.fullTableLimit {
            return title + "\n<p>Every cell is also in \(link).</p>\n<div class=\"wide\">" + fullTable + "</div>"
        }
        let all = confusions, shown = all.prefix(Self.topConfusionLimit)
        let total = matrix.joined().reduce(0, +), correct = matrix.indices.map { matrix[$0][$0] }.reduce(0, +)
        var rows = [title,
                    "<p>\(classes.count) classes are too many for one table: the \(shown.count) most frequent of the \(all.count) confusions are below; every cell is in \(link). Correct: \(correct) of \(total).</p>",
                    "<table class=\"confusions\"><tr><th>true class</th><th>predicted as</th><th>count</th><th>share of the true class</th></tr>"]
        for c in shown {
            let rowTotal = Swift.max(matrix[c.actual].reduce(0, +), 1)
            rows.append("<tr><td>\(HTMLText.escape(classes[c.actual]))</td><td>\(HTMLText.escape(classes[c.predicted]))</td><td>\(c.count)</td><td>\(String(format: "%.1f%%", 100 * Double(c.count) / Double(rowTotal)))</td></tr>")
        }
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    /// The matrix as a table with cells shaded by their share of the row.
    private var fullTable: String {
        var rows = ["<table><tr><th>true \\ predicted</th>"
                    + classes.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"]
        for (i, row) in matrix.enumerated() {
            let total = Swift.max(row.reduce(0, +), 1)
            let cells = row.map { n -> String in
                let share = Double(n) / Double(total)
                return "<td style=\"background:rgba(31,119,180,\(String(format: "%.2f", share)))\">\(n)</td>"
            }
            rows.append("<tr><th>\(HTMLText.escape(classes[i]))</th>\(cells.joined())</tr>")
        }
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
