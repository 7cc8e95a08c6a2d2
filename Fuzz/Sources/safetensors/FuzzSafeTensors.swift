import FuzzSupport
import Foundation
import TrainKit

/// The safetensors reader (header JSON, dtypes, shapes, offsets), as weights and checkpoints are read; every
/// decoded tensor is read back element by element.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (tensors, _) = try? SafeTensors.decode(Data(bytes: data, count: size), path: "fuzz.safetensors")
    else { return 0 }
    for tensor in tensors.values {
        precondition(tensor.count == tensor.shape.reduce(1, *), "element count matches the shape")
        _ = tensor.toArray(as: Float.self)
    }
    return 0
}

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_safetensors_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
