import FuzzSupport
import TrainKit

/// The IDX loader as `train` uses it (images and labels files, then the class count). The input is one IDX
/// file; the other file of the pair is made to match its first dimension. First byte: bit 0 the input is the
/// labels file (else the images file), bit 1 flatten the images.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    // The first dimension declared by the input's header (0 when too short), to size the partner file.
    let n = bytes.count >= 8 ? Int(bytes[4]) << 24 | Int(bytes[5]) << 16 | Int(bytes[6]) << 8 | Int(bytes[7]) : 0
    let partnerCount = n <= 1 << 16 ? n : 1
    let images: [UInt8], labels: [UInt8]
    if flags & 1 == 0 {
        images = bytes
        labels = [0, 0, 8, 1] + bigEndian(partnerCount) + (0..<partnerCount).map { UInt8($0 % 10) }
    } else {
        images = [0, 0, 8, 3] + bigEndian(partnerCount) + bigEndian(2) + bigEndian(2) + [UInt8](repeating: 7, count: 4 * partnerCount)
        labels = bytes
    }
    let imagesURL = FuzzScratch.write(images, to: "images-idx3-ubyte")
    let labelsURL = FuzzScratch.write(labels, to: "labels-idx1-ubyte")
    guard let set = try? IDXDataset.load(images: imagesURL.path, labels: labelsURL.path, flatten: flags & 2 != 0)
    else { return 0 }
    let classes = set.labels.toArray(as: Int64.self)
    _ = try? IDXLabels.classCount(classes, file: labelsURL.path)
    return 0
}

private func bigEndian(_ value: Int) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
     UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
}

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_idx_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
