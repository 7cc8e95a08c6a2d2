import FuzzSupport
import TrainKit

/// The gzip reader (header fields, concatenated members, the inflater, CRC-32 and size trailers), as every
/// `.gz` data file is read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Gzip.decompress(bytes, file: "fuzz.gz")
    return 0
}

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_gzip_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
