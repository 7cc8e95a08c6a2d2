import Foundation
import Testing
@testable import TrainKitData
import TrainKitTestSupport

/// Tables with tens of thousands of columns: lookups by name cost the same for every column, and messages
/// list at most 20 column names.
@Suite struct WideTableTests {
    static func table(columns n: Int, rows: Int = 4) -> DataTable {
        DataTable(columnNames: (0..<n).map { "c\($0)" },
                  columns: (0..<n).map { c in .numeric((0..<rows).map { Double(($0 + c) % 7) }) })
    }

    @Test func d12ColumnLookupIsIndexed() throws {
        let table = Self.table(columns: 40_000)
        let start = Date()
        for name in table.columnNames { _ = try table.column(name) }
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(1))
        #expect(table.index(of: "c39999") == 39_999)

        var renamed = Self.table(columns: 3)
        renamed.columnNames = ["a", "b", "a"]
        #expect(renamed.index(of: "a") == 0)
        #expect(renamed["b"] == renamed.columns[1])
        #expect(try renamed.dropping(["a"]).columnNames == ["b"])
    }

    @Test func d12MissingColumnMessageIsBounded() throws {
        let table = Self.table(columns: 10_000)
        #expect {
            try table.column("label")
        } throws: { error in
            let text = "\(error)"
            return text.count < 400 && text.hasSuffix("(columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, … and 9,980 more)")
        }
        #expect(ColumnNameList.describe(["a", "b"]) == "a, b")
        #expect(ColumnNameList.grouped(1_234_567) == "1,234,567")
    }
}
