import Foundation

/// A pause on demand inside a registry transaction, for the crash tests (and nothing else reads it).
///
/// With `TRAINKIT_TEST_REGISTRY_PAUSE=register:0.5` (or `promote:`, `delete:`), the command sleeps that many
/// seconds after its writes and before its commit, so a test can `SIGKILL` it inside the transaction; with
/// `TRAINKIT_TEST_REGISTRY_MARK=FILE` it first creates FILE, so the test knows the pause has begun.
enum RegistryTestHook {
    static let variable = "TRAINKIT_TEST_REGISTRY_PAUSE"
    static let markVariable = "TRAINKIT_TEST_REGISTRY_MARK"

    static func pause(_ point: String) {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == point, let seconds = Double(parts[1]), seconds > 0 else { return }
        if let mark = ProcessInfo.processInfo.environment[markVariable] {
            _ = FileManager.default.createFile(atPath: mark, contents: Data())
        }
        Thread.sleep(forTimeInterval: seconds)
    }
}
