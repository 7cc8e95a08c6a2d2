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

/// Fuzz/corpus/idx/crash-empty-images-huge-geometry: an images file of 0 images of 4294967295 × 4282908672
/// pixels passes the header's size check (0 bytes), and flattening multiplied rows × cols past `Int.max`.
@Test func fuzzIDXEmptyImagesWithOverflowingGeometry() {
    let images = TestFiles.write([0, 0, 8, 3, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x48, 0, 0], name: "images-idx3-ubyte")
    let labels = TestFiles.write([0, 0, 8, 1, 0, 0, 0, 0], name: "labels-idx1-ubyte")
    for flatten in [true, false] {
        let message = thrownMessage { _ = try IDXDataset.load(images: images, labels: labels, flatten: flatten) }
        #expect(message?.contains("images of 4294967295 × 4282908672 pixels have more pixels than a tensor can hold") == true,
                "\(message ?? "no error")")
    }
}
