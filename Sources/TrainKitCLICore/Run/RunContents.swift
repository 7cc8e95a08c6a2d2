import Foundation

/// What a run directory holds, sorted into what a TrainKit run wrote, what killed writes left behind, and
/// everything else (which TrainKit never moves, replaces or deletes).
///
/// A run writes these paths, relative to the run directory:
///
/// ```
/// config.yaml  metrics.jsonl  metrics.csv  metrics.json  report.md  report.html  confusion.csv
/// model/model.json  model/weights.safetensors  model/model.onnx (written by `trainkit export`)
/// best/model.safetensors
/// checkpoints/latest  checkpoints/step-NNNNNNNNN/
/// tensorboard/events.out.tfevents.*   (`training.tensorboard`)
/// .trainkit.lock                 the lock (RunLock)
/// .trainkit-previous/            the run before this one, until this one completes (RunDirectory)
/// ```
///
/// Temporaries of interrupted writes (`.NAME.tmp-PID-N`, `checkpoints/.step-N.tmp-PID/`) are litter. A
/// directory counts as a TrainKit run when it has a previous run, or any of `model/`, `best/`,
/// `checkpoints/` or `metrics.jsonl` from a run; in any other directory a `config.yaml` or `report.md` is the
/// user's file that merely has a run's name.
struct RunContents {
    static let topFiles = ["config.yaml", "metrics.jsonl", "metrics.csv", "metrics.json", "report.md", "report.html",
                           ConfusionReport.fileName, Lineage.fileName]
    static let folderFiles = ["model": ["model.json", "weights.safetensors", "model.onnx", OptimizerStateFile.fileName], "best": ["model.safetensors"]]
    static let previousName = ".trainkit-previous"
    /// A previous run being moved aside or back: its files belong at the top level (see ``RunDirectory``).
    static let movingName = ".trainkit-previous.moving"

    /// Whether the directory exists at all.
    var exists = false
    /// Paths a run wrote (files, and checkpoint directories), relative to the directory.
    var own: [String] = []
    /// Temporaries left by writes that never finished.
    var litter: [String] = []
    /// Everything else, relative to the directory.
    var foreign: [String] = []
    var hasLock = false
    var hasPrevious = false
    var hasMoving = false

    /// Whether a run finished here: its model (weights, then `model.json`, in that order) is complete.
    var isFinished: Bool { own.contains("model/model.json") && own.contains("model/weights.safetensors") }
    /// Whether the checkpoints hold at least one complete checkpoint (step directories appear only when whole).
    var hasCheckpoint: Bool { own.contains { $0.hasPrefix("checkpoints/step-") } }
    /// Whether a TrainKit run (finished, unfinished, or half moved aside) is here; see the type's notes.
    var isRun: Bool { !own.isEmpty || hasPrevious || hasMoving }

    /// Reads what `directory` holds.
    ///
    /// - Throws: ``ConfigError`` on `output` when the path exists but is not a directory or cannot be listed.
    static func inspect(_ directory: URL) throws -> RunContents {
        var contents = RunContents()
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return contents }
        guard isDirectory.boolValue else {
            throw ConfigError.invalidValue(path: "output", reason: "\(directory.path) is a file, not a directory",
                                           location: nil)
        }
        contents.exists = true
        var ownTop: [String] = []
        for name in try list(directory).sorted() {
            let url = directory.appendingPathComponent(name)
            switch name {
            case RunLock.fileName: contents.hasLock = true
            case previousName: contents.hasPrevious = true
            case movingName: contents.hasMoving = true
            case _ where isLitter(name): contents.litter.append(name)
            case _ where topFiles.contains(name) && !isFolder(url): ownTop.append(name)
            case _ where ["model", "best", "checkpoints", "tensorboard"].contains(name) && isFolder(url):
                for child in try list(url).sorted() {
                    let path = "\(name)/\(child)"
                    if isLitter(child) {
                        contents.litter.append(path)
                    } else if isOwn(child, in: name, url: url.appendingPathComponent(child)) {
                        contents.own.append(path)
                    } else {
                        contents.foreign.append(path)
                    }
                }
            default: contents.foreign.append(name)
            }
        }
        if contents.isRun || ownTop.contains("metrics.jsonl") { contents.own += ownTop } else { contents.foreign += ownTop }
        contents.foreign.sort()
        return contents
    }

    /// `.config.yaml.tmp-123-456`, `.step-000000012.tmp-123`: what AtomicFile and Checkpoint write before renaming.
    static func isLitter(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    private static func isOwn(_ name: String, in folder: String, url: URL) -> Bool {
        if folder == "checkpoints" {
            return (name == "latest" && !isFolder(url)) || (name.hasPrefix("step-") && isFolder(url))
        }
        if folder == "tensorboard" { return name.hasPrefix("events.out.tfevents.") && !isFolder(url) }
        return folderFiles[folder]?.contains(name) == true && !isFolder(url)
    }

    /// Whether `url` is a folder with nothing in it.
    static func isEmptyFolder(_ url: URL) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.isEmpty == true
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func list(_ directory: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ConfigError.invalidValue(
                path: "output", reason: "\(directory.path): cannot list: \(TrainKitCLI.describe(error))", location: nil)
        }
    }

    /// At most `limit` names, then how many more: `a, b, c and 12 more`.
    static func sample(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) and \(names.count - limit) more" : shown
    }
}
