import FuzzSupport
import TrainKitCLICore

/// The config reader as `train` uses it: YAML text to a config tree (depth scan, Yams, limits), then the
/// full decode and checks, then the tree written back as YAML (what a run stores as config.yaml).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let tree = try? ConfigNode.parse(yaml: text, file: "fuzz.yaml") else { return 0 }
    _ = try? RunConfig.decode(tree, baseDirectory: "/nonexistent", workingDirectory: "/nonexistent",
                              checkFiles: false)
    _ = try? tree.yamlText()
    return 0
}

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_config_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
