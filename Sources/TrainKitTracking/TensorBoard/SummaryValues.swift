import Foundation

/// Builds the `Summary.Value`s TrainKit writes, in the forms TensorBoard's plugins read.
enum SummaryValues {
    /// `simple_value`: PyTorch `add_scalar`'s form.
    static func scalar(_ tag: String, _ value: Double) -> Tensorboard_Summary.Value {
        var v = Tensorboard_Summary.Value()
        v.tag = tag
        v.simpleValue = Float(value)
        return v
    }

    static func histogram(_ tag: String, _ h: Histogram) -> Tensorboard_Summary.Value {
        var proto = Tensorboard_HistogramProto()
        proto.min = h.min
        proto.max = h.max
        proto.num = h.count
        proto.sum = h.sum
        proto.sumSquares = h.sumOfSquares
        proto.bucketLimit = h.bucketLimits
        proto.bucket = h.bucketCounts
        var v = Tensorboard_Summary.Value()
        v.tag = tag
        v.histo = proto
        return v
    }

    /// The text plugin's form: a `[1]` string tensor (PyTorch `add_text`).
    static func text(_ tag: String, _ text: String) -> Tensorboard_Summary.Value {
        var tensor = Tensorboard_TensorProto()
        tensor.dtype = .dtString
        tensor.stringVal = [Data(text.utf8)]
        var dim = Tensorboard_TensorShapeProto.Dim()
        dim.size = 1
        tensor.tensorShape.dim = [dim]
        var v = Tensorboard_Summary.Value()
        v.tag = tag
        v.metadata.pluginData.pluginName = "text"
        v.tensor = tensor
        return v
    }

    /// An hparams plugin summary: `content` is a serialized `HParamsPluginData`, the tensor a placeholder 0.
    static func hparams(_ tag: String, _ data: Tensorboard_Hparams_HParamsPluginData) throws -> Tensorboard_Summary.Value {
        var v = Tensorboard_Summary.Value()
        v.tag = tag
        v.metadata.pluginData.pluginName = "hparams"
        v.metadata.pluginData.content = try data.deterministicData()
        var tensor = Tensorboard_TensorProto()
        tensor.dtype = .dtFloat
        tensor.floatVal = [0]
        v.tensor = tensor
        return v
    }
}
