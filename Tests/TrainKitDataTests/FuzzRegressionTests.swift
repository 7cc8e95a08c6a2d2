import Foundation
import Testing
import TrainKitCore
@testable import TrainKitData

// Inputs found by the fuzz targets in Fuzz/ (scripts/fuzz), replayed the way each harness feeds them; each is
// also in the target's seed corpus as Fuzz/corpus/<target>/crash-<name>.

/// Fuzz/corpus/csv/crash-target-only-column: a headerless one-column file (first byte 0x65: `;`, no header,
/// skip bad rows, Latin-1) made a dataset whose features had 0 rows and labels 1, a precondition trap.
@Test func fuzzCSVTargetOnlyColumn() throws {
    let options = CSVOptions(delimiter: ";", hasHeader: false, encoding: .latin1, badRows: .skip)
    let table = try CSVReader(options: options).parse([0x00])
    #expect(table.columnNames == ["column1"])
    let message = thrownMessage { _ = try CSVDataset(table: table, target: "column1") }
    #expect(message?.contains("no feature columns besides the target 'column1'") == true, "\(message ?? "no error")")
    let named = try CSVReader().parse(Array("y\n1\n2\n".utf8))
    #expect(thrownMessage { _ = try CSVDataset(table: named, target: "y", features: []) } != nil)
}
