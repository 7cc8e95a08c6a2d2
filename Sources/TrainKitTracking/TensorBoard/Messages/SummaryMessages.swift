import Foundation
import TrainKitIO

// TensorBoard's `Summary` and the messages it holds, hand-declared from the committed
// `Sources/TrainKitTracking/Protos/summary.proto` (field numbers and wire types) and written by ``ProtobufWriter``.
// Only the fields TrainKit writes are declared.

/// `tensorboard.Summary`: the values of one event.
struct Tensorboard_Summary: ProtobufMessage, Equatable {
    /// `tensorboard.Summary.Value`: a tag, its plugin metadata and one of a scalar, a histogram or a tensor.
    struct Value: ProtobufMessage, Equatable {
        /// The `value` oneof.
        enum OneOf_Value: Equatable, Sendable {
            case simpleValue(Float)
            case histo(Tensorboard_HistogramProto)
            case tensor(Tensorboard_TensorProto)
        }

        var tag = ""
        var value: OneOf_Value?
        private var _metadata: Tensorboard_SummaryMetadata?

        init() {}

        var simpleValue: Float {
            get { if case .simpleValue(let v) = value { v } else { 0 } }
            set { value = .simpleValue(newValue) }
        }

        var histo: Tensorboard_HistogramProto {
            get { if case .histo(let v) = value { v } else { Tensorboard_HistogramProto() } }
            set { value = .histo(newValue) }
        }

        var tensor: Tensorboard_TensorProto {
            get { if case .tensor(let v) = value { v } else { Tensorboard_TensorProto() } }
            set { value = .tensor(newValue) }
        }

        var metadata: Tensorboard_SummaryMetadata {
            get { _metadata ?? Tensorboard_SummaryMetadata() }
            set { _metadata = newValue }
        }

        /// A oneof member is written even when it is zero: a `simple_value` of 0 is still the scalar 0.
        func encode(to writer: inout ProtobufWriter) {
            if !tag.isEmpty { writer.string(1, tag) }
            switch value {
            case .simpleValue(let v): writer.float(2, v)
            case .histo(let v): writer.message(5, v)
            case .tensor(let v): writer.message(8, v)
            case nil: break
            }
            if let _metadata { writer.message(9, _metadata) }
        }
    }

    var value: [Value] = []

    func encode(to writer: inout ProtobufWriter) {
        for v in value { writer.message(1, v) }
    }
}

/// `tensorboard.SummaryMetadata`: which plugin reads the value, and its plugin-specific content.
struct Tensorboard_SummaryMetadata: ProtobufMessage, Equatable {
    /// `tensorboard.SummaryMetadata.PluginData`.
    struct PluginData: ProtobufMessage, Equatable {
        var pluginName = ""
        var content = Data()

        func encode(to writer: inout ProtobufWriter) {
            if !pluginName.isEmpty { writer.string(1, pluginName) }
            if !content.isEmpty { writer.bytes(2, content) }
        }
    }

    private var _pluginData: PluginData?

    var pluginData: PluginData {
        get { _pluginData ?? PluginData() }
        set { _pluginData = newValue }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let _pluginData { writer.message(1, _pluginData) }
    }
}

/// `tensorboard.HistogramProto`; the bucket edges and counts are packed repeated doubles.
struct Tensorboard_HistogramProto: ProtobufMessage, Equatable {
    var min = 0.0
    var max = 0.0
    var num = 0.0
    var sum = 0.0
    var sumSquares = 0.0
    var bucketLimit: [Double] = []
    var bucket: [Double] = []

    func encode(to writer: inout ProtobufWriter) {
        if min != 0 { writer.double(1, min) }
        if max != 0 { writer.double(2, max) }
        if num != 0 { writer.double(3, num) }
        if sum != 0 { writer.double(4, sum) }
        if sumSquares != 0 { writer.double(5, sumSquares) }
        writer.packedDouble(6, bucketLimit)
        writer.packedDouble(7, bucket)
    }
}

/// `tensorboard.DataType`, the tensor element types TrainKit writes.
enum Tensorboard_DataType: UInt64, Sendable {
    case dtInvalid = 0, dtFloat = 1, dtDouble = 2, dtString = 7
}

/// `tensorboard.TensorShapeProto`.
struct Tensorboard_TensorShapeProto: ProtobufMessage, Equatable {
    /// `tensorboard.TensorShapeProto.Dim`.
    struct Dim: ProtobufMessage, Equatable {
        var size: Int64 = 0

        func encode(to writer: inout ProtobufWriter) {
            if size != 0 { writer.int64(1, size) }
        }
    }

    var dim: [Dim] = []

    func encode(to writer: inout ProtobufWriter) {
        for d in dim { writer.message(2, d) }
    }
}

/// `tensorboard.TensorProto`: a string tensor (text) or a float placeholder (hparams); `float_val` is packed,
/// `string_val` one field per element.
struct Tensorboard_TensorProto: ProtobufMessage, Equatable {
    var dtype: Tensorboard_DataType = .dtInvalid
    private var _tensorShape: Tensorboard_TensorShapeProto?
    var floatVal: [Float] = []
    var stringVal: [Data] = []

    var tensorShape: Tensorboard_TensorShapeProto {
        get { _tensorShape ?? Tensorboard_TensorShapeProto() }
        set { _tensorShape = newValue }
    }

    func encode(to writer: inout ProtobufWriter) {
        if dtype != .dtInvalid { writer.uint64(1, dtype.rawValue) }
        if let _tensorShape { writer.message(2, _tensorShape) }
        writer.packedFloat(5, floatVal)
        for s in stringVal { writer.bytes(8, s) }
    }
}
