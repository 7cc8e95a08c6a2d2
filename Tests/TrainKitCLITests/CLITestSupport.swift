import Foundation
import Testing
@testable import TrainKitCLICore

/// What one `trainkit` invocation through the library entry point returned.
struct CLIResult {
    var status: Int32
    var output: String
    var diagnostics: String
}

/// Collects a command's two streams (commands may write from any thread).
final class Capture: @unchecked Sendable {
    private let lock = NSLock()
    private var out = "", err = ""
    func output(_ s: String) { lock.withLock { out += s + "\n" } }
    func diagnostics(_ s: String) { lock.withLock { err += s + "\n" } }
    var texts: (String, String) { lock.withLock { (out, err) } }
}

/// Runs `trainkit ARGUMENTS` in this process and captures its exit status and output.
func trainkit(_ arguments: [String]) -> CLIResult {
    let capture = Capture()
    let io = CommandIO(output: { capture.output($0) }, diagnostics: { capture.diagnostics($0) })
    let status = TrainKitCLI.run(arguments: arguments, io: io)
    let (out, err) = capture.texts
    return CLIResult(status: status, output: out, diagnostics: err)
}

/// The repository root (for the bundled examples).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let bundledWine = repositoryRoot.appendingPathComponent("Examples/configs/data/wine-quality/winequality-red.csv").path

/// A fresh empty directory under the temporary directory.
func temporaryDirectory(_ name: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("trainkit-cli-tests-\(name.filter { $0.isLetter })-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in `directory` and returns its path.
@discardableResult
func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A small config for the bundled wine data (absolute data path), as YAML text.
func wineConfig(task: String = "classification", epochs: Int = 3, output: URL, extra: String = "") -> String {
    """
    seed: 0
    data:
      train: \(bundledWine)
      target: quality
      test_split: 0.2
      validation_split: 0.1
    model:
      kind: mlp
      hidden: [32]
    training:
      task: \(task)
      epochs: \(epochs)
      batch_size: 32
      optimizer: {name: adam, lr: 0.003}
      progress: silent
    output: \(output.path)
    \(extra)
    """
}

/// Parses one JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    let data = Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Writes `count` 8×8 IDX images with labels as `PREFIX-images-idx3-ubyte` / `PREFIX-labels-idx1-ubyte`: class 0
/// has a bright left half, class 1 a bright right half (`seed` shifts which rows get which class).
/// `blankTopRow`: the first row of pixels is 0 in every image (constant pixels, as MNIST's border).
func writeHalvesIDX(_ count: Int, prefix: String, seed: Int, blankTopRow: Bool = false, in dir: URL) throws {
    func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
    var images: [UInt8] = [0, 0, 0x08, 3] + be(count) + be(8) + be(8)
    var labels: [UInt8] = [0, 0, 0x08, 1] + be(count)
    for n in 0..<count {
        let label = (n + seed) % 2
        labels.append(UInt8(label))
        for r in 0..<8 {
            for c in 0..<8 {
                let pixel = (c < 4) == (label == 0) ? UInt8(150 + (r * c + n) % 100) : UInt8((r + c + n) % 60)
                images.append(blankTopRow && r == 0 ? 0 : pixel)
            }
        }
    }
    try Data(images).write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
    try Data(labels).write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
}
