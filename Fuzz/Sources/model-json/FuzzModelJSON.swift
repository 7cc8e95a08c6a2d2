import FuzzSupport
import TrainKitCLICore

/// `ModelArtifact.load` as `predict`, `evaluate` and `info` use it: model.json, then its weights file,
/// validated against each other and loaded into the model it describes. The input is model.json, optionally
/// followed by `separator` and the bytes of weights.safetensors (absent: no weights file).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (json, weights) = splitInput(Array(UnsafeBufferPointer(start: data, count: size)), at: separator)
    FuzzScratch.write(json, to: "model/model.json")
    if let weights { FuzzScratch.write(weights, to: "model/weights.safetensors") } else {
        FuzzScratch.remove("model/weights.safetensors")
    }
    _ = try? ModelArtifact.load(FuzzScratch.directory.appendingPathComponent("model").path)
    return 0
}

/// Between model.json and the weights in a fuzz input (also in Fuzz/dict/model-json.dict).
let separator = Array("\n--weights.safetensors--\n".utf8)

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_model_json_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
