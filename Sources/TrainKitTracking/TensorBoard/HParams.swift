import Foundation
import SwiftProtobuf

/// A hyperparameter value of one trial, as TensorBoard's HParams tab shows it.
public enum HParamValue: Equatable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)

    var protobufValue: Google_Protobuf_Value {
        switch self {
        case .number(let v): Google_Protobuf_Value(numberValue: v)
        case .string(let v): Google_Protobuf_Value(stringValue: v)
        case .bool(let v): Google_Protobuf_Value(boolValue: v)
        }
    }

    var dataType: Tensorboard_Hparams_DataType {
        switch self {
        case .number: .float64
        case .string: .string
        case .bool: .bool
        }
    }
}

/// The hparams plugin's records (tensorboard `plugins/hparams/summary.py`): the experiment in the parent run (the
/// study's directory) and a session start and end in each trial's run (a subdirectory), so TensorBoard's HParams tab
/// lists the trials side by side with their metrics.
public enum HParams {
    public static let experimentTag = "_hparams_/experiment"
    public static let sessionStartTag = "_hparams_/session_start_info"
    public static let sessionEndTag = "_hparams_/session_end_info"

    /// Writes the experiment: every hyperparameter searched (named by its config path, typed by `example`'s
    /// values) and the scalar tags compared.
    public static func writeExperiment(to writer: EventFileWriter, name: String, hyperparameters: [String: HParamValue],
                                       metrics: [String], date: Date = Date()) throws {
        var experiment = Tensorboard_Hparams_Experiment()
        experiment.name = name
        experiment.timeCreatedSecs = date.timeIntervalSince1970
        experiment.hparamInfos = hyperparameters.keys.sorted().map { key in
            var info = Tensorboard_Hparams_HParamInfo()
            info.name = key
            info.type = hyperparameters[key]!.dataType
            return info
        }
        experiment.metricInfos = metrics.map { tag in
            var info = Tensorboard_Hparams_MetricInfo()
            info.name.tag = tag
            info.datasetType = tag.hasPrefix("val_") ? .datasetValidation : .datasetTraining
            return info
        }
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.experiment = experiment
        try writer.write([SummaryValues.hparams(experimentTag, data)], step: 0, date: date)
    }

    /// Writes a session's start: its hyperparameter values.
    public static func writeSessionStart(to writer: EventFileWriter, values: [String: HParamValue], group: String = "",
                                         date: Date = Date()) throws {
        var info = Tensorboard_Hparams_SessionStartInfo()
        info.hparams = values.mapValues(\.protobufValue)
        info.groupName = group
        info.startTimeSecs = date.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionStartInfo = info
        try writer.write([SummaryValues.hparams(sessionStartTag, data)], step: 0, date: date)
    }

    /// Writes a session's end.
    public static func writeSessionEnd(to writer: EventFileWriter, succeeded: Bool, date: Date = Date()) throws {
        var info = Tensorboard_Hparams_SessionEndInfo()
        info.status = succeeded ? .success : .failure
        info.endTimeSecs = date.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionEndInfo = info
        try writer.write([SummaryValues.hparams(sessionEndTag, data)], step: 0, date: date)
    }
}
