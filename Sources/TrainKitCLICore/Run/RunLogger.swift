import Foundation
import TrainKit

/// Writes the per-epoch metrics of a run as `metrics.jsonl` (one JSON object per epoch) and `metrics.csv`.
///
/// When training starts (or resumes) both files are rewritten from the trainer's history, so a run resumed
/// from a checkpoint has each epoch exactly once even if it was killed after logging an epoch whose
/// checkpoint was never written. Each epoch's line is flushed as it is written.
final class RunLogger: Callback {
    let directory: URL
    private var columns: [String] = []

    init(directory: URL) { self.directory = directory }

    var jsonlURL: URL { directory.appendingPathComponent("metrics.jsonl") }
    var csvURL: URL { directory.appendingPathComponent("metrics.csv") }

    override func fitStart(_ trainer: Trainer) throws {
        let epochs = trainer.history.epochs
        columns = Array(Set(epochs.flatMap(\.keys))).sorted()
        var jsonl = Data(), csv = Data()
        for (i, logs) in epochs.enumerated() {
            jsonl.append(try line(logs, epoch: i))
        }
        if !columns.isEmpty {
            csv.append(Data(((["epoch"] + columns).joined(separator: ",") + "\n").utf8))
            for (i, logs) in epochs.enumerated() { csv.append(row(logs, epoch: i)) }
        }
        try AtomicFile.write(jsonl, to: jsonlURL)
        try AtomicFile.write(csv, to: csvURL)
    }

    override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        try append(try line(logs, epoch: epoch), to: jsonlURL)
        if columns.isEmpty {
            columns = logs.keys.sorted()
            try append(Data(((["epoch"] + columns).joined(separator: ",") + "\n").utf8), to: csvURL)
        }
        try append(row(logs, epoch: epoch), to: csvURL)
    }

    private func line(_ logs: [String: Double], epoch: Int) throws -> Data {
        var object = logs
        object["epoch"] = Double(epoch + 1)
        var data = try JSONCoding.encode(object, pretty: false)
        data.append(0x0A)
        return data
    }

    private func row(_ logs: [String: Double], epoch: Int) -> Data {
        Data(((["\(epoch + 1)"] + columns.map { logs[$0].map { "\($0)" } ?? "" }).joined(separator: ",") + "\n").utf8)
    }

    private func append(_ data: Data, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
