import Foundation
import Testing
import TrainKit
@testable import TrainKitTracking

/// The events of an event file, decoded with the generated protocol buffers.
func events(in url: URL) throws -> [Tensorboard_Event] {
    try TFRecord.records(in: Data(contentsOf: url)).map { try Tensorboard_Event(serializedBytes: $0) }
}

func eventFiles(in directory: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("tfevents") }.sorted()
        .map { directory.appendingPathComponent($0) }
}

@Suite struct EventFileWriterTests {
    @Test func fileVersionComesFirstThenTheSummaries() throws {
        let directory = temporaryDirectory("events")
        let writer = try EventFileWriter(directory: directory)
        try writer.addScalar("loss", 0.25, step: 3)
        try writer.addHistogram("weights/w", values: [1, 2, 3, 4], step: 3)
        try writer.addText("config", "seed: 0", step: 0)
        try writer.close()

        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))
        let read = try events(in: writer.url)
        #expect(read.count == 4)
        #expect(read[0].fileVersion == "brain.Event:2")
        #expect(read[1].step == 3 && read[1].summary.value[0].tag == "loss" && read[1].summary.value[0].simpleValue == 0.25)
        #expect(read[2].summary.value[0].histo.num == 4 && read[2].summary.value[0].histo.sum == 10)
        let text = read[3].summary.value[0]
        #expect(text.metadata.pluginData.pluginName == "text")
        #expect(text.tensor.dtype == .dtString && text.tensor.stringVal == [Data("seed: 0".utf8)])
    }

    @Test func hparamsRecordsCarryThePluginData() throws {
        let directory = temporaryDirectory("hparams")
        let writer = try EventFileWriter(directory: directory)
        try HParams.writeExperiment(to: writer, name: "study", hyperparameters: ["lr": .number(0.1), "act": .string("relu")],
                                    metrics: ["val_loss"])
        try HParams.writeSessionStart(to: writer, values: ["lr": .number(0.1), "act": .string("relu")])
        try HParams.writeSessionEnd(to: writer, succeeded: true)
        try writer.close()

        let values = try events(in: writer.url).dropFirst().map { $0.summary.value[0] }
        #expect(values.map(\.tag) == [HParams.experimentTag, HParams.sessionStartTag, HParams.sessionEndTag])
        #expect(values.allSatisfy { $0.metadata.pluginData.pluginName == "hparams" })
        let experiment = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[0].metadata.pluginData.content)
        #expect(experiment.experiment.hparamInfos.map(\.name) == ["act", "lr"])
        #expect(experiment.experiment.metricInfos.map(\.name.tag) == ["val_loss"])
        let start = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[1].metadata.pluginData.content)
        #expect(start.sessionStartInfo.hparams["lr"]?.numberValue == 0.1)
        #expect(start.sessionStartInfo.hparams["act"]?.stringValue == "relu")
        let end = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[2].metadata.pluginData.content)
        #expect(end.sessionEndInfo.status == .success)
    }

    @Test func anUnwritableDirectoryIsAFileError() throws {
        let file = temporaryDirectory("blocked").appendingPathComponent("plain-file")
        FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
        #expect(throws: TrackingError.self) { try EventFileWriter(directory: file) }
    }
}
