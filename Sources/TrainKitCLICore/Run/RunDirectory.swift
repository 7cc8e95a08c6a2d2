import Foundation
import TrainKit

/// The run directory of one `trainkit train`, from the first check to the last write: a failed or interrupted
/// run never destroys the last good one, and files that no run wrote are never touched.
///
/// The life of a fresh run:
///
/// 1. ``init(_:mode:io:)``, before any data is read: the path must be a directory or creatable; files that no
///    TrainKit run wrote refuse the run (`--overwrite` writes beside them, never over them); an unfinished run
///    refuses it too (continue it with `--resume`, or `--overwrite`); then the exclusive ``RunLock``, and
///    recovery from an earlier process killed in the middle of the steps below.
/// 2. ``begin(config:)``, once the data, the model and the config have passed every check: litter of killed
///    writes is removed, the earlier run's files move to `.trainkit-previous/` (through
///    `.trainkit-previous.moving/`, renamed when every file is in it, so a kill at any point is undone by step 1
///    of the next run) and the new `config.yaml` is written.
/// 3. ``commit()`` after `model/`, the metrics and the reports are written: `.trainkit-previous/` is deleted.
///    A directory whose top level holds a finished model supersedes any `.trainkit-previous/`.
/// 4. ``abandon()`` when the run fails (a data error, a non-finite loss, a full disk): the new run's files are
///    deleted and the previous run moved back, so the directory is as it was before the command. An
///    interrupted run (SIGINT, SIGTERM) keeps its checkpoint and the previous run, for `--resume`.
///
/// A resumed run (`--resume`) keeps everything; it starts from the beginning when no checkpoint was complete
/// yet, and deletes `.trainkit-previous/` when it finishes.
final class RunDirectory {
    enum Mode: Equatable {
        case fresh(overwrite: Bool)
        case resume
    }

    let url: URL
    let mode: Mode
    private let io: CommandIO
    private let lock: RunLock
    /// Whether this command created the directory (it is removed again if nothing of the run is left in it).
    private let created: Bool
    private var contents: RunContents
    private var begun = false
    private let fm = FileManager.default

    var previousURL: URL { url.appendingPathComponent(RunContents.previousName) }
    private var movingURL: URL { url.appendingPathComponent(RunContents.movingName) }

    /// Checks `url` for `mode`, creates it when absent, locks it and recovers from an earlier kill.
    ///
    /// - Throws: ``ConfigError`` (exit 2) naming `output` or `--resume`, the path and what is wrong.
    init(_ url: URL, mode: Mode, io: CommandIO) throws {
        self.url = url
        self.mode = mode
        self.io = io
        // Files that no run wrote, or no run at all to resume, refuse the command before a lock file is made
        // (where one exists, its holder, if any, is named first: what it writes is not foreign).
        let before = try RunContents.inspect(url)
        if !before.hasLock { try Self.check(before, at: url, mode: mode, beforeRecovery: true) }
        if !before.exists {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw ConfigError.invalidValue(
                    path: "output", reason: "\(url.path): cannot create the run directory: \(TrainKitCLI.describe(error))",
                    location: nil)
            }
        }
        created = !before.exists
        lock = try RunLock(directory: url, command: mode == .resume ? "train --resume" : "train")
        contents = RunContents()
        do {
            try recover()
            contents = try RunContents.inspect(url)
            try Self.check(contents, at: url, mode: mode)
        } catch {
            removeIfCreated()
            throw error
        }
    }

    /// Why `contents` refuses `mode`, if it does; `beforeRecovery` leaves out what recovery may change (the
    /// state of a run half moved aside).
    private static func check(_ contents: RunContents, at url: URL, mode: Mode, beforeRecovery: Bool = false) throws {
        let path = url.path
        if mode == .resume {
            guard contents.exists, contents.isRun else {
                throw ConfigError.usage(
                    "--resume \(path): not a TrainKit run directory (no checkpoints/, model/ or metrics in it)")
            }
            return
        }
        let overwrite = mode == .fresh(overwrite: true)
        if !contents.foreign.isEmpty {
            let names = RunContents.sample(contents.foreign)
            guard overwrite else {
                throw ConfigError.usage(
                    "output: \(path) holds files that no TrainKit run wrote (\(names)); TrainKit never deletes them: "
                        + "choose a new or empty directory (--set output=DIR), or pass --overwrite to write the run beside them")
            }
            let written = Set(RunContents.topFiles + ["model", "best", "checkpoints"])
            if let clash = contents.foreign.first(where: { written.contains($0) }) {
                throw ConfigError.usage(
                    "output: \(path)/\(clash) was not written by a TrainKit run and a run would replace it; "
                        + "choose another output (--set output=DIR)")
            }
        }
        if !beforeRecovery && !contents.own.isEmpty && !contents.isFinished && !overwrite {
            let previous = contents.hasPrevious
                ? "; the finished run before it is kept in \(path)/\(RunContents.previousName)" : ""
            let state = contents.hasCheckpoint ? "with checkpoints" : "no checkpoint yet"
            throw ConfigError.usage(
                "output: \(path) holds an unfinished run (\(state))\(previous); continue it with --resume \(path), "
                    + "or pass --overwrite to start again")
        }
    }

    // MARK: - begin, commit, abandon

    /// Clears litter, moves the earlier run aside (a fresh run) and writes the new `config.yaml`.
    ///
    /// - Returns: whether training continues from a checkpoint (a resume with a complete one).
    func begin(config: String) throws -> Bool {
        removeLitter()
        var resumes = false
        switch mode {
        case .resume:
            resumes = contents.hasCheckpoint
            if !resumes {
                io.progress("warning: \(url.path) has no complete checkpoint yet; starting the run from the beginning")
            }
        case .fresh:
            if contents.hasPrevious {
                // An unfinished run over a finished one: the unfinished one goes (--overwrite), the finished stays.
                try deleteOwn()
            } else if !contents.own.isEmpty {
                do {
                    try moveAside()
                } catch {
                    throw TrainingFailure(
                        "\(url.path): cannot move the earlier run aside into \(RunContents.previousName)/ "
                            + "(it is moved back): \(TrainKitCLI.describe(error))")
                }
                io.progress("the earlier run in \(url.path) is kept in \(RunContents.previousName)/ until this one completes")
            }
        }
        begun = true
        try AtomicFile.write(Data(config.utf8), to: url.appendingPathComponent("config.yaml"))
        return resumes
    }

    /// The run completed: the earlier run kept aside is deleted and the lock released.
    func commit() {
        if fm.fileExists(atPath: previousURL.path) {
            do { try fm.removeItem(at: previousURL) } catch {
                io.progress("warning: could not delete \(previousURL.path): \(TrainKitCLI.describe(error))")
            }
        }
        lock.release()
    }

    /// The run was interrupted: its checkpoint and the earlier run stay for `--resume`.
    func keepForResume() { lock.release() }

    /// The run failed: a fresh run's files are deleted and the earlier run moved back (also when it failed
    /// half way through moving aside); a resumed run's files stay.
    func abandon() {
        defer { lock.release() }
        guard case .fresh = mode else { return }
        do {
            if begun {
                contents = try RunContents.inspect(url)
                try deleteOwn()
                removeLitter()
                if fm.fileExists(atPath: previousURL.path) { try fm.moveItem(at: previousURL, to: movingURL) }
            }
            if fm.fileExists(atPath: movingURL.path) {
                try recover()
                io.progress("the earlier run in \(url.path) is restored")
            }
        } catch {
            io.progress("warning: could not restore \(url.path): \(TrainKitCLI.describe(error)); "
                + "the earlier run's files are in \(url.path)/\(RunContents.previousName)")
        }
        removeIfCreated()
    }

    // MARK: - steps

    /// Undoes what a killed process left half done: files in `.trainkit-previous.moving/` go back to the top
    /// level; a `.trainkit-previous/` beside a finished model is superseded and deleted; one beside nothing of a
    /// run is moved back.
    private func recover() throws {
        var state = try RunContents.inspect(url)
        if state.hasPrevious && state.own.isEmpty && !state.hasMoving {
            try fm.moveItem(at: previousURL, to: movingURL)
            state.hasMoving = true
        }
        if state.hasMoving {
            try moveContents(of: movingURL, into: url)
            if RunContents.isEmptyFolder(movingURL) { try fm.removeItem(at: movingURL) }
            state = try RunContents.inspect(url)
        }
        if state.hasPrevious && state.isFinished { try fm.removeItem(at: previousURL) }
    }

    /// Moves every file of the earlier run into `.trainkit-previous.moving/`, then renames that folder
    /// `.trainkit-previous/`.
    private func moveAside() throws {
        try fm.createDirectory(at: movingURL, withIntermediateDirectories: true)
        for path in contents.own {
            let target = movingURL.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.moveItem(at: url.appendingPathComponent(path), to: target)
        }
        try fm.moveItem(at: movingURL, to: previousURL)
        removeEmptyFolders()
    }

    /// Deletes the files a run wrote at the top level, `model/model.json` first (so the directory stops
    /// looking finished before anything else goes).
    private func deleteOwn() throws {
        let first = "model/model.json"
        for path in contents.own.filter({ $0 == first }) + contents.own.filter({ $0 != first }) {
            let target = url.appendingPathComponent(path)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        }
        contents.own = []
        removeEmptyFolders()
    }

    /// Moves each entry of `source` into `destination`, merging folders; a file that exists in both is dropped
    /// from `source` when the two are identical (a move across mounts that copied but could not delete) and stays
    /// in `source` otherwise (nothing is replaced).
    private func moveContents(of source: URL, into destination: URL) throws {
        for name in try fm.contentsOfDirectory(atPath: source.path) {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            if !fm.fileExists(atPath: to.path) {
                try fm.moveItem(at: from, to: to)
            } else if RunContents.isFolder(from) && RunContents.isFolder(to) {
                try moveContents(of: from, into: to)
                if RunContents.isEmptyFolder(from) { try fm.removeItem(at: from) }
            } else if !RunContents.isFolder(from) && fm.contentsEqual(atPath: from.path, andPath: to.path) {
                try fm.removeItem(at: from)
            } else {
                io.progress("warning: \(from.path) was not moved back: \(to.path) exists")
            }
        }
    }

    /// Removes temporaries of writes that never finished (this process holds the lock, so none is in progress).
    private func removeLitter() {
        for path in (try? RunContents.inspect(url).litter) ?? [] {
            try? fm.removeItem(at: url.appendingPathComponent(path))
        }
    }

    /// `model/`, `best/`, `checkpoints/` when nothing is left in them.
    private func removeEmptyFolders() {
        for name in ["model", "best", "checkpoints"] {
            let folder = url.appendingPathComponent(name)
            if RunContents.isEmptyFolder(folder) { try? fm.removeItem(at: folder) }
        }
    }

    /// Removes the directory again when this command created it and nothing but the lock is in it.
    private func removeIfCreated() {
        guard created, let names = try? fm.contentsOfDirectory(atPath: url.path),
              names.allSatisfy({ $0 == RunLock.fileName }) else { return }
        lock.release()
        try? fm.removeItem(at: url)
    }
}
