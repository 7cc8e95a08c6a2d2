import Foundation
import Testing
import TrainKit
@testable import TrainKitTracking

@Suite struct TensorBoardLoggerTests {
    /// Every epoch's logs become scalars at step epoch + 1 with the logged values; with histograms each parameter's
    /// weights and last-batch gradients are written per epoch, counting every element.
    @Test func scalarsMatchTheHistoryAndHistogramsCoverEveryParameter() throws {
        let directory = temporaryDirectory("tensorboard-logger")
        let logger = TensorBoardLogger(directory: directory, histograms: true, texts: ["config": "seed: 0"])
        let model = smallModel(seed: 0)
        let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: SGD(lr: 0.1), metrics: [.accuracy],
                              callbacks: [logger], progress: .silent)
        let data = blobs(count: 30, seed: 1)
        let history = try trainer.fit(data, validation: data, epochs: 3, batchSize: 8)

        let files = try eventFiles(in: directory)
        #expect(files.count == 1)
        let read = try events(in: files[0])
        var scalars: [String: [Int: Float]] = [:]
        var histograms: [String: [Int: Double]] = [:]
        for event in read {
            for value in event.summary.value {
                if case .simpleValue(let v) = value.value { scalars[value.tag, default: [:]][Int(event.step)] = v }
                if case .histo(let h) = value.value { histograms[value.tag, default: [:]][Int(event.step)] = h.num }
            }
        }
        for (epoch, logs) in history.epochs.enumerated() {
            for (key, value) in logs { #expect(scalars[key]?[epoch + 1] == Float(value), "\(key) at epoch \(epoch + 1)") }
            #expect((scalars["samples_per_second"]?[epoch + 1] ?? 0) > 0)
        }
        for (name, parameter) in model.namedParameters {
            for step in 1...3 {
                #expect(histograms["weights/\(name)"]?[step] == Double(parameter.value.count))
                #expect(histograms["gradients/\(name)"]?[step] == Double(parameter.value.count))
            }
        }
        #expect(read.contains { $0.summary.value.first?.metadata.pluginData.pluginName == "text" })
    }

    /// A directory that cannot be created: one warning, and training runs to the end.
    @Test func anUnwritableDirectoryWarnsOnceAndTrainingGoesOn() throws {
        let blocked = temporaryDirectory("tensorboard-blocked").appendingPathComponent("file")
        FileManager.default.createFile(atPath: blocked.path, contents: Data())
        let warnings = WarningLines()
        let logger = TensorBoardLogger(directory: blocked, histograms: true, warn: { warnings.append($0) })
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [logger], progress: .silent)
        let history = try trainer.fit(blobs(count: 20, seed: 2), epochs: 2, batchSize: 10)
        #expect(history.epochs.count == 2)
        #expect(warnings.lines.count == 1)
    }
}

@Suite struct TensorBoardResumeTests {
    /// A trainer that resumes (its history holds epochs when training starts) marks a restart at the next epoch:
    /// a SessionLog START that makes TensorBoard drop what earlier files hold from that step on.
    @Test func aResumedRunMarksARestartAtTheNextEpoch() throws {
        let run = temporaryDirectory("tensorboard-resume")
        let data = blobs(count: 20, seed: 4)
        func trainer(_ logger: TensorBoardLogger) -> Trainer {
            Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                    callbacks: [ModelCheckpoint(directory: run, monitor: nil), logger], progress: .silent)
        }
        let tensorboard = run.appendingPathComponent("tensorboard")
        try trainer(TensorBoardLogger(directory: tensorboard)).fit(data, epochs: 2, batchSize: 10)
        try trainer(TensorBoardLogger(directory: tensorboard)).fit(data, epochs: 3, batchSize: 10, resumeFrom: run)

        let files = try eventFiles(in: tensorboard)
        #expect(files.count == 2)
        let first = try events(in: files[0]), second = try events(in: files[1])
        #expect(!first.contains { $0.sessionLog.status == .start })
        let restart = second.filter { $0.sessionLog.status == .start }
        #expect(restart.map(\.step) == [3])
        #expect(Set(second.filter { !$0.summary.value.isEmpty }.map(\.step)) == [3])
    }
}
