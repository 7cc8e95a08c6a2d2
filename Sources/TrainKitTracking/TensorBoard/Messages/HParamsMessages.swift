import Foundation
import TrainKitIO

// The hparams plugin's records, hand-declared from the committed `Sources/TrainKitTracking/Protos/hparams.proto`
// (field numbers and wire types) and written by ``ProtobufWriter``. Only the fields TrainKit writes are declared:
// no domains (`domain_discrete`, `domain_interval`), so no `ListValue` or `Interval`.

/// `tensorboard.hparams.HParamsPluginData`: one of an experiment, a session start or a session end.
struct Tensorboard_Hparams_HParamsPluginData: ProtobufMessage, Equatable {
    /// The `data` oneof.
    enum OneOf_Data: Equatable, Sendable {
        case experiment(Tensorboard_Hparams_Experiment)
        case sessionStartInfo(Tensorboard_Hparams_SessionStartInfo)
        case sessionEndInfo(Tensorboard_Hparams_SessionEndInfo)
    }

    var version: Int64 = 0
    var data: OneOf_Data?

    init() {}

    var experiment: Tensorboard_Hparams_Experiment {
        get { if case .experiment(let v) = data { v } else { Tensorboard_Hparams_Experiment() } }
        set { data = .experiment(newValue) }
    }

    var sessionStartInfo: Tensorboard_Hparams_SessionStartInfo {
        get { if case .sessionStartInfo(let v) = data { v } else { Tensorboard_Hparams_SessionStartInfo() } }
        set { data = .sessionStartInfo(newValue) }
    }

    var sessionEndInfo: Tensorboard_Hparams_SessionEndInfo {
        get { if case .sessionEndInfo(let v) = data { v } else { Tensorboard_Hparams_SessionEndInfo() } }
        set { data = .sessionEndInfo(newValue) }
    }

    func encode(to writer: inout ProtobufWriter) {
        if version != 0 { writer.int64(1, version) }
        switch data {
        case .experiment(let v): writer.message(2, v)
        case .sessionStartInfo(let v): writer.message(3, v)
        case .sessionEndInfo(let v): writer.message(4, v)
        case nil: break
        }
    }
}

/// `tensorboard.hparams.Experiment`: the hyperparameters searched and the metrics compared.
struct Tensorboard_Hparams_Experiment: ProtobufMessage, Equatable {
    var name = ""
    var timeCreatedSecs = 0.0
    var hparamInfos: [Tensorboard_Hparams_HParamInfo] = []
    var metricInfos: [Tensorboard_Hparams_MetricInfo] = []

    func encode(to writer: inout ProtobufWriter) {
        if timeCreatedSecs != 0 { writer.double(3, timeCreatedSecs) }
        for info in hparamInfos { writer.message(4, info) }
        for info in metricInfos { writer.message(5, info) }
        if !name.isEmpty { writer.string(6, name) }
    }
}

/// `tensorboard.hparams.DataType`.
enum Tensorboard_Hparams_DataType: UInt64, Sendable {
    case unset = 0, string = 1, bool = 2, float64 = 3
}

/// `tensorboard.hparams.HParamInfo`: a hyperparameter's name and type.
struct Tensorboard_Hparams_HParamInfo: ProtobufMessage, Equatable {
    var name = ""
    var type: Tensorboard_Hparams_DataType = .unset

    func encode(to writer: inout ProtobufWriter) {
        if !name.isEmpty { writer.string(1, name) }
        if type != .unset { writer.uint64(4, type.rawValue) }
    }
}

/// `tensorboard.hparams.MetricName`: a scalar tag (and its run-relative group).
struct Tensorboard_Hparams_MetricName: ProtobufMessage, Equatable {
    var group = ""
    var tag = ""

    func encode(to writer: inout ProtobufWriter) {
        if !group.isEmpty { writer.string(1, group) }
        if !tag.isEmpty { writer.string(2, tag) }
    }
}

/// `tensorboard.hparams.DatasetType`.
enum Tensorboard_Hparams_DatasetType: UInt64, Sendable {
    case datasetUnknown = 0, datasetTraining = 1, datasetValidation = 2
}

/// `tensorboard.hparams.MetricInfo`: a metric the HParams tab shows per session.
struct Tensorboard_Hparams_MetricInfo: ProtobufMessage, Equatable {
    private var _name: Tensorboard_Hparams_MetricName?
    var datasetType: Tensorboard_Hparams_DatasetType = .datasetUnknown

    var name: Tensorboard_Hparams_MetricName {
        get { _name ?? Tensorboard_Hparams_MetricName() }
        set { _name = newValue }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let _name { writer.message(1, _name) }
        if datasetType != .datasetUnknown { writer.uint64(5, datasetType.rawValue) }
    }
}

/// `tensorboard.hparams.SessionStartInfo`: a session's hyperparameter values. The `hparams` map is written as
/// proto3 writes a map, one entry message (key 1, value 2) per key, in key order.
struct Tensorboard_Hparams_SessionStartInfo: ProtobufMessage, Equatable {
    var hparams: [String: Google_Protobuf_Value] = [:]
    var groupName = ""
    var startTimeSecs = 0.0

    func encode(to writer: inout ProtobufWriter) {
        for key in hparams.keys.sorted() {
            writer.message(1) { entry in
                entry.string(1, key)
                entry.message(2, hparams[key]!)
            }
        }
        if !groupName.isEmpty { writer.string(4, groupName) }
        if startTimeSecs != 0 { writer.double(5, startTimeSecs) }
    }
}

/// `tensorboard.hparams.Status`.
enum Tensorboard_Hparams_Status: UInt64, Sendable {
    case unknown = 0, success = 1, failure = 2, running = 3
}

/// `tensorboard.hparams.SessionEndInfo`: how a session ended.
struct Tensorboard_Hparams_SessionEndInfo: ProtobufMessage, Equatable {
    var status: Tensorboard_Hparams_Status = .unknown
    var endTimeSecs = 0.0

    func encode(to writer: inout ProtobufWriter) {
        if status != .unknown { writer.uint64(1, status.rawValue) }
        if endTimeSecs != 0 { writer.double(2, endTimeSecs) }
    }
}

/// `google.protobuf.Value` (struct.proto), the kinds a hyperparameter takes: number (2), string (3), bool (4).
/// The kind is a oneof, so it is written even when it is 0, "" or false.
struct Google_Protobuf_Value: ProtobufMessage, Equatable {
    enum Kind: Equatable, Sendable {
        case numberValue(Double)
        case stringValue(String)
        case boolValue(Bool)
    }

    var kind: Kind

    init(numberValue: Double) { kind = .numberValue(numberValue) }
    init(stringValue: String) { kind = .stringValue(stringValue) }
    init(boolValue: Bool) { kind = .boolValue(boolValue) }

    var numberValue: Double { if case .numberValue(let v) = kind { v } else { 0 } }
    var stringValue: String { if case .stringValue(let v) = kind { v } else { "" } }
    var boolValue: Bool { if case .boolValue(let v) = kind { v } else { false } }

    func encode(to writer: inout ProtobufWriter) {
        switch kind {
        case .numberValue(let v): writer.double(2, v)
        case .stringValue(let v): writer.string(3, v)
        case .boolValue(let v): writer.bool(4, v)
        }
    }
}
