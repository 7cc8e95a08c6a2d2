import CFuzzerDriver

/// Runs libFuzzer's driver with `body` as the target, for the `<module>_main` entry point SwiftPM gives
/// debug executables (it renames `main` so tests can link them); each harness forwards its one to this.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}

/// Calls `fuzz` with a valid pointer even for the empty input (libFuzzer may pass null then).
@inline(__always)
public func withInput(_ data: UnsafePointer<UInt8>?, _ size: Int, _ fuzz: (UnsafePointer<UInt8>, Int) -> CInt)
    -> CInt {
    if let data { return fuzz(data, size) }
    var empty: UInt8 = 0
    return fuzz(&empty, 0)
}
