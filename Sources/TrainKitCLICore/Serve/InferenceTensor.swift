/// The datatypes of the Open Inference Protocol v2 that TrainKit reads and writes.
public enum InferenceDatatype: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    case fp32 = "FP32", fp64 = "FP64"
    case bytes = "BYTES"

    /// Whether the tensor holds numbers (everything but `BYTES`).
    public var isNumeric: Bool { self != .bytes }
}

/// The values of a tensor, flattened in row-major order.
public enum InferenceValues: Sendable, Equatable {
    case numbers([Double])
    case integers([Int64])
    case strings([String])

    public var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .integers(let v): v.count
        case .strings(let v): v.count
        }
    }

    /// The values `range` (a slice of rows times the row width).
    public func slice(_ range: Range<Int>) -> InferenceValues {
        switch self {
        case .numbers(let v): .numbers(Array(v[range]))
        case .integers(let v): .integers(Array(v[range]))
        case .strings(let v): .strings(Array(v[range]))
        }
    }
}

/// One input tensor of an inference request: `{"name", "shape", "datatype", "data"}`.
public struct InferenceInput: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var datatype: InferenceDatatype
    public var values: InferenceValues
}

/// One output tensor: its rows come first in `shape` (`[rows]` or `[rows, width]`), so a batch's output splits
/// back into its requests by row ranges.
public struct InferenceOutput: Sendable, Equatable {
    public var name: String
    public var datatype: InferenceDatatype
    /// Values per row; nil for a `[rows]` tensor.
    public var width: Int?
    public var values: InferenceValues

    public init(name: String, datatype: InferenceDatatype, width: Int?, values: InferenceValues) {
        self.name = name
        self.datatype = datatype
        self.width = width
        self.values = values
    }

    public var rows: Int { values.count / max(width ?? 1, 1) }
    public var shape: [Int] { width.map { [rows, $0] } ?? [rows] }

    /// The rows `range` of this output.
    public func rows(_ range: Range<Int>) -> InferenceOutput {
        let w = width ?? 1
        return InferenceOutput(name: name, datatype: datatype, width: width,
                               values: values.slice((range.lowerBound * w)..<(range.upperBound * w)))
    }
}
