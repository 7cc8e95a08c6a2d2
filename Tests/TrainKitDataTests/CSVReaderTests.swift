import Foundation
import Testing
import TrainKitCore
@testable import TrainKitData

/// The message of the error `body` throws (nil when it does not throw).
func thrownMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

@Test func csvReadsQuotingCRLFAndMissingValues() throws {
    let table = try CSVReader().read(TestFiles.resource("csv/quoted.csv"))
    #expect(table.columnNames == ["id", "name", "score", "comment"])
    #expect(table.rowCount == 4)
    #expect(table["id"] == .numeric([1, 2, 3, 4]))
    #expect(table["name"] == .string(["Smith, Anna", "Bob", nil, "Dee"]))
    #expect(table["comment"] == .string(["said \"hi\"", "two\r\nlines", "plain", nil]))
    let score = try #require(table["score"]?.numbers)
    #expect(score[0] == 3.5 && score[1].isNaN && score[2].isNaN && score[3] == -100)
}

@Test func csvFallsBackToLatin1() throws {
    let table = try CSVReader(options: CSVOptions(delimiter: ";")).read(TestFiles.resource("csv/latin1.csv"))
    #expect(table["city"] == .string(["São Paulo", "München"]))
    #expect(table["population"] == .numeric([12.3, 1.5]))
    let utf8 = try CSVReader(options: CSVOptions(delimiter: ";")).parse(Array("city;n\nSão Paulo;1\n".utf8))
    #expect(utf8["city"] == .string(["São Paulo"]))
}

@Test func csvHandlesHeaderlessTSVAndTrimming() throws {
    var options = CSVOptions(delimiter: "\t", hasHeader: false, quote: nil)
    let tsv = try CSVReader(options: options).parse(Array("a\t1\t\"x\nb\t2\ty\"\n".utf8))
    #expect(tsv.columnNames == ["column1", "column2", "column3"])
    #expect(tsv["column3"] == .string(["\"x", "y\""]))
    options = CSVOptions(hasHeader: false, trimWhitespace: true)
    options.columnNames = ["age", "job", "label"]
    options.suffixesToStrip = ["label": "."]
    options.skipLines = 1
    let adultLike = try CSVReader(options: options).parse(Array("|junk line\n25, Private, <=50K.\n38, ?, >50K.\n\n".utf8))
    #expect(adultLike["age"] == .numeric([25, 38]))
    #expect(adultLike["job"] == .string(["Private", nil]))
    #expect(adultLike["label"] == .string(["<=50K", ">50K"]))
}

@Test func csvInfersAndDeclaresTypes() throws {
    let text = Array("a,b,c\n1,x,007\n2.5e1,y,8\n".utf8)
    let inferred = try CSVReader().parse(text)
    #expect(inferred["a"] == .numeric([1, 25]))
    #expect(inferred["b"]?.type == .string)
    #expect(inferred["c"] == .numeric([7, 8]))
    let declared = try CSVReader(options: CSVOptions(columnTypes: ["c": .string])).parse(text)
    #expect(declared["c"] == .string(["007", "8"]))
    #expect(thrownMessage { _ = try CSVReader(options: CSVOptions(columnTypes: ["zz": .string])).parse(text) }?
        .contains("no column named 'zz' (columns: a, b, c)") == true)
}

@Test func csvNumberParsingIsExact() throws {
    let values = ["0.1", "1e-300", "123456789012345678901234", "-0.0", "3.14159265358979323846", "1E5", "+7",
                  "2.2250738585072014e-308", "9007199254740993", "0.000001", "inf"]
    let table = try CSVReader(options: CSVOptions(hasHeader: false)).parse(Array(values.joined(separator: "\n").utf8))
    let parsed = try #require(table["column1"]?.numbers)
    for (text, value) in zip(values, parsed) { #expect(value == Double(text)!, "\(text)") }
}

// MARK: - Malformed files

@Test func unterminatedQuoteNamesFileLineAndColumn() {
    let path = TestFiles.write("a,b,c\n1,2,3\n4,\"open,6\n7,8,9\n", name: "unterminated.csv")
    let message = thrownMessage { _ = try CSVReader().read(path) }
    #expect(message == "\(path):3:2: unterminated quoted field (opened here, still open at the end of the file)")
}

@Test func wrongColumnCountNamesFileLineAndColumn() {
    let path = TestFiles.write("a,b,c\n1,2,3\n4,5\n6,7,8,9\n", name: "columns.csv")
    #expect(thrownMessage { _ = try CSVReader().read(path) } == "\(path):3:3: expected 3 fields, found 2")
    var options = CSVOptions()
    options.badRows = .skip
    let table = try? CSVReader(options: options).read(path)
    #expect(table?.rowCount == 1)
    #expect(table?.skippedRowCount == 2)
    #expect(table?.skippedRowReasons.map(\.description) == ["\(path):3:3: expected 3 fields, found 2",
                                                             "\(path):4:4: expected 3 fields, found 4"])
}

@Test func nonNumericValueInNumericColumnNamesFileLineAndColumn() throws {
    let path = TestFiles.write("id,price\n1,2.5\n2,abc\n3,4\n", name: "numeric.csv")
    let strict = CSVReader(options: CSVOptions(columnTypes: ["price": .numeric]))
    #expect(thrownMessage { _ = try strict.read(path) } == "\(path):3:2: column 'price' is numeric but the value is \"abc\"")
    var options = strict.options
    options.badRows = .skip
    let table = try CSVReader(options: options).read(path)
    #expect(table["price"] == .numeric([2.5, 4]))
    #expect(table["id"] == .numeric([1, 3]))
    #expect(table.skippedRowCount == 1)
    // Not declared: the column is text, as pandas reads it.
    #expect(try CSVReader().read(path)["price"]?.type == .string)
}

@Test func skippingReportsOnlyTheFirstFewReasons() throws {
    var lines = ["x,y"]
    for i in 0..<50 { lines.append(i % 5 == 0 ? "\(i)" : "\(i),\(i)") }
    var options = CSVOptions()
    options.badRows = .skip
    let table = try CSVReader(options: options).parse(Array(lines.joined(separator: "\n").utf8), source: "gen.csv")
    #expect(table.rowCount == 40 && table.skippedRowCount == 10)
    #expect(table.skippedRowReasons.count == 5)
    #expect(table.skippedRowReasons.first?.description == "gen.csv:2:2: expected 2 fields, found 1")
}

@Test func textAfterClosingQuoteIsAnError() {
    let message = thrownMessage { _ = try CSVReader().parse(Array("a,b\n\"x\"y,1\n".utf8), source: "q.csv") }
    #expect(message == "q.csv:2:1: unexpected text after the closing quote of a quoted field")
}

@Test func headerProblemsAndBadOptionsAreErrors() {
    #expect(thrownMessage { _ = try CSVReader().parse([], source: "empty.csv") } == "empty.csv: no header row: the file has no rows")
    #expect(thrownMessage { _ = try CSVReader(options: CSVOptions(delimiter: "\"")).parse([]) }?
        .contains("the quote and the delimiter") == true)
    #expect(thrownMessage { _ = try CSVReader().read("/no/such.csv") } == "/no/such.csv: cannot read: no such file")
}

// MARK: - Datasets from tables

@Test func csvDatasetSplitsOffTheTarget() throws {
    let text = "f1,f2,label\n1,2,cat\n3,4,dog\n5,6,cat\n"
    let data = try CSVDataset(table: try CSVReader().parse(Array(text.utf8)), target: "label")
    #expect(data.count == 3)
    #expect(data.classes == ["cat", "dog"])
    #expect(data.featureNames == ["f1", "f2"])
    #expect(data.tensors.features.toArray() == [1, 2, 3, 4, 5, 6])
    #expect(data.tensors.labels.toArray(as: Int64.self) == [0, 1, 0])
    let regression = try CSVDataset(table: try CSVReader().parse(Array(text.utf8)), target: "f2", features: ["f1"])
    #expect(regression.tensors.labels.toArray() == [2, 4, 6])
    #expect(regression.classes == nil)
    let unseen = thrownMessage {
        _ = try CSVDataset(table: try CSVReader().parse(Array(text.utf8)), target: "label", classes: ["cat"])
    }
    #expect(unseen?.contains("class \"dog\" in data row 2") == true)
    let textFeature = thrownMessage {
        _ = try CSVDataset(table: try CSVReader().parse(Array(text.utf8)), target: "f1")
    }
    #expect(textFeature?.contains("feature column 'label' is text") == true)
}

/// A literal NaN is not a number: a data error naming the line and column, unless the user lists it among
/// the missing values (then it is imputed like an empty field).
@Test func csvLiteralNaNIsAnErrorUnlessListedAsMissing() throws {
    let path = TestFiles.write("a,b\n1,2\n3,NaN\n5,6\n", name: "literal-nan.csv")
    #expect {
        try CSVReader().read(path)
    } throws: { error in
        "\(error)".contains("literal-nan.csv:3:2") && "\(error)".contains("\"NaN\", which is not a number")
    }
    let table = try CSVReader(options: CSVOptions(missingValues: ["", "NaN"])).read(path)
    let b = try #require(table["b"]?.numbers)
    #expect(b[0] == 2 && b[1].isNaN && b[2] == 6)
}
