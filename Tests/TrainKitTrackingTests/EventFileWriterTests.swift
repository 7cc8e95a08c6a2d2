import Foundation
import Testing
import TrainKit
@testable import TrainKitTracking

/// The events of an event file, decoded by the generated messages (swift-protobuf).
func events(in url: URL) throws -> [Tensorboard_Event] {
    try TFRecord.records(in: Data(contentsOf: url)).map { try Tensorboard_Event(serializedBytes: [UInt8]($0)) }
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
        try HParams.writeSessionStart(to: writer, values: ["lr": .number(0.1), "act": .string("relu"), "momentum": .number(0)])
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
        // A value's kind is a oneof: a 0 is written, so the HParams tab shows 0 rather than nothing.
        #expect(start.sessionStartInfo.hparams["momentum"] == HParamValue.number(0).protobufValue)
        let end = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[2].metadata.pluginData.content)
        #expect(end.sessionEndInfo.status == .success)
    }

    /// A zero scalar still carries its `simple_value` (the oneof is what makes the value a scalar), and a histogram's
    /// bucket edges and counts are packed: one length-delimited field each, 8 bytes per double.
    @Test func zeroScalarsAreWrittenAndHistogramBucketsArePacked() throws {
        let writer = try EventFileWriter(directory: temporaryDirectory("wire"))
        try writer.addScalar("zero", 0, step: 1)
        try writer.addHistogram("h", values: [1, 2, 3, 4], step: 1)
        try writer.close()

        let records = try TFRecord.records(in: Data(contentsOf: writer.url))
        let scalar = try #require(try ProtobufFields(records[1]).message(5)?.message(1))
        #expect(scalar.fields.map { $0.number } == [1, 2])
        #expect(scalar.float(2) == 0)
        let histo = try #require(try ProtobufFields(records[2]).message(5)?.message(1)?.message(5))
        #expect(histo.allBytes(6).count == 1 && histo.allBytes(7).count == 1)
        #expect(histo.bytes(7)?.count == 8 * Histogram.defaultBucketCount)
        #expect(histo.packedDoubles(7).reduce(0, +) == 4 && histo.packedDoubles(6).last == 4)
    }

    @Test func anUnwritableDirectoryIsAFileError() throws {
        let file = temporaryDirectory("blocked").appendingPathComponent("plain-file")
        FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
        #expect(throws: TrackingError.self) { try EventFileWriter(directory: file) }
    }
}
