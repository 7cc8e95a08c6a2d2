import FuzzSupport
import TrainKit

/// The CSV reader as `train` uses it: parse with the options the first byte selects, then build the
/// dataset with the last column as target. The rest of the input is the file.
///
/// First byte: bits 0-1 delimiter (`,` `;` tab `|`), 2 no header, 3 no quoting, 4 trim whitespace,
/// 5 skip bad rows, 6 Latin-1, 7 `#` comments and one skipped line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = CSVOptions(
        delimiter: [",", ";", "\t", "|"][Int(flags & 3)], hasHeader: flags & 4 == 0,
        quote: flags & 8 == 0 ? "\"" : nil, skipLines: flags & 128 == 0 ? 0 : 1, trimWhitespace: flags & 16 != 0,
        encoding: flags & 64 == 0 ? .automatic : .latin1, badRows: flags & 32 == 0 ? .fail : .skip)
    if flags & 128 != 0 { options.comment = "#" }
    guard let (table, lines) = try? CSVReader(options: options).parseWithLines(bytes) else { return 0 }
    precondition(lines.count == table.rowCount, "one line number per row")
    if let target = table.columnNames.last {
        _ = try? CSVDataset(table: table, target: target)
    }
    return 0
}

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_csv_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
