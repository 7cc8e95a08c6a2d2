import FuzzSupport
import Foundation
import TrainKit

/// `Checkpoint.read` as `train --resume` uses it: a checkpoint directory whose `state.json` is the input,
/// beside a model.safetensors with one small tensor and empty optimizer and callback files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzScratch.write(UnsafeBufferPointer(start: data, count: size), to: "step-000000001/state.json")
    _ = try? Checkpoint.read(from: checkpoint)
    return 0
}

let checkpoint: URL = {
    let url = FuzzScratch.directory.appendingPathComponent("step-000000001")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try! SafeTensors.write(["0.weight": Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])], metadata: ["format": "pt"],
                           to: url.appendingPathComponent("model.safetensors"))
    try! SafeTensors.write([:], to: url.appendingPathComponent("optimizer.safetensors"))
    try! SafeTensors.write([:], to: url.appendingPathComponent("callbacks.safetensors"))
    return url
}()

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_checkpoint_state_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
