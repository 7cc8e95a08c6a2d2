import Foundation
@testable import TrainKitTracking

// Test-only decoding of the written records back into the message structs, through ``ProtobufFields`` and the
// field numbers of `Sources/TrainKitTracking/Protos/`: each reads the fields the writer writes, wire type included
// (a field written with another wire type reads as absent).

extension Tensorboard_Event {
    init(serializedBytes bytes: [UInt8]) throws {
        let f = try ProtobufFields(bytes)
        self.init()
        wallTime = f.double(1) ?? 0
        step = f.varint(2).map { Int64(bitPattern: $0) } ?? 0
        if let v = f.string(3) { fileVersion = v }
        if let s = try f.message(5) { summary = try Tensorboard_Summary(fields: s) }
        if let s = try f.message(7) {
            sessionLog.status = try s.varint(1).map { try Tensorboard_SessionLog.SessionStatus(checked: $0) } ?? .statusUnspecified
        }
        if let s = try f.message(10) { sourceMetadata.writer = s.string(1) ?? "" }
    }
}

extension Tensorboard_Summary {
    init(fields f: ProtobufFields) throws {
        self.init()
        value = try f.messages(1).map { v in
            var value = Tensorboard_Summary.Value()
            value.tag = v.string(1) ?? ""
            if v.has(2) {
                guard let x = v.float(2) else { throw ProtobufFields.ReadError(description: "simple_value not a float") }
                value.simpleValue = x
            }
            if let h = try v.message(5) {
                var histo = Tensorboard_HistogramProto()
                histo.min = h.double(1) ?? 0
                histo.max = h.double(2) ?? 0
                histo.num = h.double(3) ?? 0
                histo.sum = h.double(4) ?? 0
                histo.sumSquares = h.double(5) ?? 0
                histo.bucketLimit = h.packedDoubles(6)
                histo.bucket = h.packedDoubles(7)
                value.histo = histo
            }
            if let t = try v.message(8) {
                var tensor = Tensorboard_TensorProto()
                tensor.dtype = try t.varint(1).map { try Tensorboard_DataType(checked: $0) } ?? .dtInvalid
                tensor.tensorShape.dim = try (t.message(2)?.messages(2) ?? []).map { d in
                    var dim = Tensorboard_TensorShapeProto.Dim()
                    dim.size = d.varint(1).map { Int64(bitPattern: $0) } ?? 0
                    return dim
                }
                let floats = t.bytes(5) ?? []
                tensor.floatVal = stride(from: 0, to: floats.count, by: 4).map { i in
                    Float(bitPattern: floats[i..<i + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
                }
                tensor.stringVal = t.allBytes(8).map { Data($0) }
                value.tensor = tensor
            }
            if let m = try v.message(9), let p = try m.message(1) {
                value.metadata.pluginData.pluginName = p.string(1) ?? ""
                value.metadata.pluginData.content = Data(p.bytes(2) ?? [])
            }
            return value
        }
    }
}

extension Tensorboard_Hparams_HParamsPluginData {
    init(serializedBytes bytes: Data) throws {
        let f = try ProtobufFields(bytes)
        self.init()
        if let e = try f.message(2) {
            var experiment = Tensorboard_Hparams_Experiment()
            experiment.name = e.string(6) ?? ""
            experiment.timeCreatedSecs = e.double(3) ?? 0
            experiment.hparamInfos = try e.messages(4).map { h in
                var info = Tensorboard_Hparams_HParamInfo()
                info.name = h.string(1) ?? ""
                info.type = try h.varint(4).map { try Tensorboard_Hparams_DataType(checked: $0) } ?? .unset
                return info
            }
            experiment.metricInfos = try e.messages(5).map { m in
                var info = Tensorboard_Hparams_MetricInfo()
                info.name.tag = try m.message(1)?.string(2) ?? ""
                info.datasetType = try m.varint(5).map { try Tensorboard_Hparams_DatasetType(checked: $0) } ?? .datasetUnknown
                return info
            }
            self.experiment = experiment
        }
        if let s = try f.message(3) {
            var info = Tensorboard_Hparams_SessionStartInfo()
            for entry in try s.messages(1) {
                guard let key = entry.string(1), let v = try entry.message(2) else { continue }
                if let x = v.double(2) { info.hparams[key] = Google_Protobuf_Value(numberValue: x) }
                if let x = v.string(3) { info.hparams[key] = Google_Protobuf_Value(stringValue: x) }
                if let x = v.varint(4) { info.hparams[key] = Google_Protobuf_Value(boolValue: x != 0) }
            }
            info.groupName = s.string(4) ?? ""
            info.startTimeSecs = s.double(5) ?? 0
            sessionStartInfo = info
        }
        if let e = try f.message(4) {
            var info = Tensorboard_Hparams_SessionEndInfo()
            info.status = try e.varint(1).map { try Tensorboard_Hparams_Status(checked: $0) } ?? .unknown
            info.endTimeSecs = e.double(2) ?? 0
            sessionEndInfo = info
        }
    }
}

extension RawRepresentable where RawValue == UInt64 {
    /// The enum case of a decoded varint; a number the `.proto` does not list is an error.
    init(checked raw: UInt64) throws {
        guard let value = Self(rawValue: raw) else { throw ProtobufFields.ReadError(description: "enum value \(raw)") }
        self = value
    }
}
