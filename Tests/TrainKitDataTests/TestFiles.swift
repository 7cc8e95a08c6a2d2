import Foundation

/// Bundled samples (next to this file) and scratch files for tests.
enum TestFiles {
    /// `Tests/TrainKitDataTests/Resources/<name>`.
    static func resource(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/\(name)").path
    }

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "trainkit-data-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to a new temporary file named `name` and returns its path.
    static func write(_ bytes: [UInt8], name: String) -> String {
        let path = temporaryDirectory() + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ text: String, name: String) -> String { write(Array(text.utf8), name: name) }

    /// The shared datasets folder: `$TRAINKIT_DATASETS`, else `../shared/datasets` beside the repository,
    /// else `/work/shared/datasets`.
    static let datasets: String = {
        if let path = ProcessInfo.processInfo.environment["TRAINKIT_DATASETS"] { return path }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let beside = repository.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/datasets"
    }()
    static var haveDatasets: Bool { FileManager.default.fileExists(atPath: datasets) }
}
