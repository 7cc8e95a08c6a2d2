import TrainKitCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which sanitizer this test process was built with (`swift test --sanitize=address|thread`), found by the
/// runtime's entry symbol, so a plain `swift test --sanitize=…` needs no extra flag or environment variable.
public enum Sanitizers {
    /// AddressSanitizer is linked in.
    public static let address = hasSymbol("__asan_init")
    /// ThreadSanitizer is linked in.
    public static let thread = hasSymbol("__tsan_init")
    /// Either sanitizer is linked in.
    public static var active: Bool { address || thread }

    /// A wall-clock limit of `seconds` for a test that guards against super-linear time: the same limit in a
    /// plain build, 10x under AddressSanitizer or on the reference backend (`TRAINKIT_BACKEND=reference`: plain
    /// Swift loops in a debug build) and 20x under ThreadSanitizer, which run that much slower. A quadratic
    /// regression still fails the plain `swift test`, which keeps the tight limit.
    public static func timeLimit(_ seconds: Double) -> Double {
        thread ? seconds * 20 : (address || Device.default == .reference) ? seconds * 10 : seconds
    }

    private static func hasSymbol(_ name: String) -> Bool {
        guard let process = dlopen(nil, RTLD_NOW) else { return false }
        return dlsym(process, name) != nil
    }
}
