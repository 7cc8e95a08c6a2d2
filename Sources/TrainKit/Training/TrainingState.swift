import Foundation
import TrainKitCore
import TrainKitIO
import TrainKitOptim

/// Everything besides tensors that a checkpoint needs to continue a run exactly: where the run is
/// (epoch, next batch, optimizer steps), the global random stream, the history, the running loss of the
/// current epoch, the optimizer's metadata and every stateful callback's state.
public struct TrainingState: Codable, Sendable {
    public static let currentFormat = 1
    public var format = TrainingState.currentFormat
    /// The epoch the run is in (0-based) and the index of the next batch to train on in it.
    public var epoch: Int
    public var nextBatch: Int
    /// Optimizer steps taken so far.
    public var globalStep: Int
    public var randomSeed: UInt64
    public var randomDrawn: UInt64
    public var history: History
    public var runningLossSum: Double
    public var runningLossCount: Int
    public var optimizer: OptimizerMetadata
    public var callbacks: [String: CallbackState]
}

extension TrainingState {
    /// The largest counter a state may hold (2^48): far beyond any real run, and small enough that the
    /// arithmetic done on resume (`epoch + 1`, batch offsets) cannot overflow.
    static let maximumCounter = 1 << 48

    /// The first value that decodes but cannot belong to a run, as `field is value, must be …`; nil when
    /// every value is in range. A checkpoint with such a value is treated like a damaged one.
    ///
    /// Counters (`epoch`, `nextBatch`, `globalStep`, `runningLossCount`, each parameter's optimizer `step`,
    /// each group's `parameterCount`) must be in `0...2^48`; `runningLossSum` must be finite.
    var outOfRange: String? {
        var counters = [("epoch", epoch), ("nextBatch", nextBatch), ("globalStep", globalStep),
                        ("runningLossCount", runningLossCount)]
        for (i, group) in optimizer.groups.enumerated() {
            counters.append(("optimizer.groups[\(i)].parameterCount", group.parameterCount))
        }
        for (i, entry) in optimizer.parameters.enumerated() {
            if let entry { counters.append(("optimizer.parameters[\(i)].step", entry.step)) }
        }
        if let (field, value) = counters.first(where: { !(0...Self.maximumCounter).contains($0.1) }) {
            return "\(field) is \(value), must be between 0 and \(Self.maximumCounter)"
        }
        guard runningLossSum.isFinite else { return "runningLossSum is \(runningLossSum), must be finite" }
        return nil
    }
}

/// A checkpoint: model weights, optimizer tensors, callback tensors and the ``TrainingState``.
///
/// On disk it is a directory `step-<globalStep>` holding `model.safetensors` (readable by any safetensors
/// reader), `optimizer.safetensors`, `callbacks.safetensors` and `state.json`. It is written into a
/// temporary directory, each file flushed, then renamed into place, and only then does the store's `latest`
/// file (itself replaced atomically) point at it: a crash at any moment leaves the previous checkpoint whole.
public struct Checkpoint: Sendable {
    public var model: [String: Tensor]
    public var optimizer: [String: Tensor]
    public var state: TrainingState

    /// Writes the checkpoint as the directory `url` (replacing nothing: `url` must not exist).
    public func write(to url: URL) throws {
        let fm = FileManager.default
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try? fm.removeItem(at: temporary)
        try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
        try SafeTensors.write(model, metadata: ["format": "pt"], to: temporary.appendingPathComponent("model.safetensors"))
        try SafeTensors.write(optimizer, to: temporary.appendingPathComponent("optimizer.safetensors"))
        var callbackTensors: [String: Tensor] = [:]
        for (key, s) in state.callbacks { for (name, t) in s.tensors { callbackTensors["\(key)/\(name)"] = t } }
        try SafeTensors.write(callbackTensors, to: temporary.appendingPathComponent("callbacks.safetensors"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(try encoder.encode(state), to: temporary.appendingPathComponent("state.json"))
        if fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
        try fm.moveItem(at: temporary, to: url)
    }

    /// Reads and validates a checkpoint directory; errors name the file and the problem.
    public static func read(from url: URL) throws -> Checkpoint {
        let stateURL = url.appendingPathComponent("state.json")
        guard let data = FileManager.default.contents(atPath: stateURL.path) else {
            throw TrainingError.checkpoint("\(stateURL.path): missing")
        }
        var state: TrainingState
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            state = try decoder.decode(TrainingState.self, from: data)
        } catch {
            throw TrainingError.checkpoint("\(stateURL.path): not a valid training state (\(error))")
        }
        guard state.format == TrainingState.currentFormat else {
            throw TrainingError.checkpoint("\(stateURL.path): unknown format \(state.format)")
        }
        if let problem = state.outOfRange {
            throw TrainingError.checkpoint("\(stateURL.path): \(problem)")
        }
        func tensors(_ name: String) throws -> [String: Tensor] {
            do {
                return try SafeTensors.read(from: url.appendingPathComponent(name)).tensors
            } catch let error as SafeTensorsError {
                throw TrainingError.checkpoint(error.description)
            }
        }
        let model = try tensors("model.safetensors")
        let optimizer = try tensors("optimizer.safetensors")
        let callbackTensors = try tensors("callbacks.safetensors")
        for (key, _) in state.callbacks {
            let prefix = "\(key)/"
            var own: [String: Tensor] = [:]
            for (name, t) in callbackTensors where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = t }
            state.callbacks[key]!.tensors = own
        }
        return Checkpoint(model: model, optimizer: optimizer, state: state)
    }
}

/// The checkpoints of one run: `<directory>/step-000000123/` directories, a `latest` file naming the newest,
/// and at most `keep` of them (older ones are deleted after a newer one is complete).
public struct CheckpointStore: Sendable {
    public let directory: URL
    public let keep: Int

    public init(directory: URL, keep: Int = 2) {
        self.directory = directory
        self.keep = Swift.max(keep, 1)
    }

    /// Checkpoint directories, oldest first.
    public var checkpoints: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("step-") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The checkpoint `latest` names, if any.
    public var latest: URL? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("latest").path),
              let name = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !name.isEmpty else { return nil }
        return directory.appendingPathComponent(name)
    }

    /// Writes `checkpoint`, points `latest` at it and prunes old ones.
    @discardableResult
    public func save(_ checkpoint: Checkpoint) throws -> URL {
        let url = directory.appendingPathComponent(String(format: "step-%09d", checkpoint.state.globalStep))
        try checkpoint.write(to: url)
        try AtomicFile.write(Data(url.lastPathComponent.utf8), to: directory.appendingPathComponent("latest"))
        let all = checkpoints
        if all.count > keep {
            for old in all.prefix(all.count - keep) where old.lastPathComponent != url.lastPathComponent {
                try? FileManager.default.removeItem(at: old)
            }
        }
        return url
    }

    /// The newest checkpoint that reads cleanly. When the newest is damaged, the older ones are tried and the
    /// problems are returned alongside, so a caller can report them.
    public func loadLatestValid() throws -> (checkpoint: Checkpoint, url: URL, skipped: [String]) {
        var candidates = checkpoints.reversed().map { $0 }
        if let latest, let i = candidates.firstIndex(of: latest) { candidates.swapAt(0, i) }
        var problems: [String] = []
        for url in candidates {
            do {
                return (try Checkpoint.read(from: url), url, problems)
            } catch {
                problems.append("\(error)")
            }
        }
        throw TrainingError.checkpoint(problems.isEmpty ? "no checkpoint in \(directory.path)"
                                                        : "no readable checkpoint in \(directory.path): \(problems.joined(separator: "; "))")
    }
}
