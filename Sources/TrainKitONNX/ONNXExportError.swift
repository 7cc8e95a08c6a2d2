/// Why a model or its preprocessing cannot be written as ONNX. Each case names what and where.
public enum ONNXExportError: Error, Equatable, CustomStringConvertible {
    /// A layer the exporter has no ONNX form for: its path in the model (`net.2`, `(model)` for the root) and
    /// its type (the op that is missing).
    case unsupportedLayer(path: String, layer: String)
    /// A supported layer in a configuration the exporter cannot write (a grouped convolution, a ceil-mode pool).
    case unsupportedConfiguration(path: String, layer: String, reason: String)
    /// A model kind or data format the exporter does not cover.
    case unsupportedModel(String)
    /// Two graph values would share a name (two input columns with one name).
    case duplicateName(String)

    public var description: String {
        switch self {
        case let .unsupportedLayer(path, layer):
            "ONNX export: layer '\(path)' (\(layer)) has no ONNX form in this exporter"
        case let .unsupportedConfiguration(path, layer, reason):
            "ONNX export: layer '\(path)' (\(layer)): \(reason)"
        case let .unsupportedModel(reason):
            "ONNX export: \(reason)"
        case let .duplicateName(name):
            "ONNX export: two graph values are both named '\(name)'"
        }
    }
}
