import ArgumentParser
import Foundation

/// `trainkit serve …` in the `trainkit` program: replaces the process with the `trainkit-serve` program built
/// beside it (the same arguments, so signals reach the server directly). The server links an HTTP stack
/// (Hummingbird, SwiftNIO) that the rest of `trainkit` does not need.
struct ServeForwardCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve trained models over HTTP with the Open Inference Protocol v2 (KServe/Triton REST).",
        discussion: "Runs the trainkit-serve program beside trainkit; `trainkit serve --help` lists its options. Docs: docs/serving.md.")

    @Argument(parsing: .captureForPassthrough, help: "Models and options, as `trainkit-serve` takes them.")
    var arguments: [String] = []

    func execute(_ io: CommandIO) throws {
        let server = Self.serverProgram()
        guard FileManager.default.isExecutableFile(atPath: server.path) else {
            throw ConfigError.usage("trainkit serve runs \(server.path), which is not built: build it with `swift build -c release --product trainkit-serve` (or `swift build -c release` for every program)")
        }
        let argv = ([server.path] + arguments).map { strdup($0) } + [nil]
        execv(server.path, argv)
        throw ConfigError.usage("cannot run \(server.path): \(String(cString: strerror(errno)))")
    }

    /// `trainkit-serve` in the directory of the running program.
    static func serverProgram() -> URL {
        #if os(Linux)
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
        let me = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        return me.deletingLastPathComponent().appendingPathComponent("trainkit-serve")
    }
}
