import Foundation

/// Where a command writes: results on `output` (standard output), progress and errors on `diagnostics`
/// (standard error). Tests pass closures that capture both.
public struct CommandIO: Sendable {
    public var output: @Sendable (String) -> Void
    public var diagnostics: @Sendable (String) -> Void

    public init(output: @escaping @Sendable (String) -> Void, diagnostics: @escaping @Sendable (String) -> Void) {
        self.output = output
        self.diagnostics = diagnostics
    }

    /// Standard output and standard error.
    public static var standard: CommandIO {
        CommandIO(output: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
                  diagnostics: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    }

    /// A progress line (standard error).
    func progress(_ line: String) { diagnostics("trainkit: \(line)") }
}
