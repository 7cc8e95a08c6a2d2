import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A C library opened at run time with `dlopen` (never closed), as CTrainKitKernels finds BLAS: TrainKit builds
/// on a bare toolchain and needs SQLite's or PostgreSQL's client library only when a registry is used.
struct DynamicLibrary: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let name: String

    /// Opens the first of `candidates` that loads; `variable` in the environment (a path or soname) goes first.
    ///
    /// - Throws: ``RegistryError/libraryMissing(library:install:reason:)`` naming the library and its package.
    static func open(_ candidates: [String], variable: String, library: String, install: String) throws -> DynamicLibrary {
        var names = candidates
        if let chosen = ProcessInfo.processInfo.environment[variable], !chosen.isEmpty { names.insert(chosen, at: 0) }
        var reasons: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return DynamicLibrary(handle: handle, name: name) }
            reasons.append(dlerror().map { String(cString: $0) } ?? "\(name): not found")
        }
        throw RegistryError.libraryMissing(library: library, install: install, reason: reasons.joined(separator: "; "))
    }

    /// The symbol `symbol` as the C function type `T`.
    func function<T>(_ symbol: String, as type: T.Type) throws -> T {
        guard let pointer = dlsym(handle, symbol) else {
            throw RegistryError.libraryMissing(library: name, install: "a newer version", reason: "it has no \(symbol)")
        }
        return unsafeBitCast(pointer, to: type)
    }
}
