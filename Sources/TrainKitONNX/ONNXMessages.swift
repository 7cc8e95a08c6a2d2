import Foundation
import TrainKitIO

// The ONNX messages TrainKit writes, declared by hand and serialized with `ProtobufWriter`.
//
// Field numbers, wire types and packing follow Protos/onnx.proto (proto2), which is the contract: a field's number
// and type here must match its declaration there. Only the fields the exporter sets are declared. Repeated numeric
// fields are written as the .proto declares them: `TensorProto.float_data`, `int64_data` and `double_data` are
// `[packed = true]` (one length-delimited run); `TensorProto.dims`, `AttributeProto.floats` and `ints` are not
// (one key per element). scripts/check-onnx loads the files with onnx.checker and onnxruntime.
//
// The messages are hand-declared rather than generated because the protobuf code generator's package builds its
// `protoc` from C++ sources in every build of the package.

/// `ModelProto`: the file's top-level message.
struct Onnx_ModelProto: ProtobufMessage {
    var irVersion: Int64 = 0                      // 1
    var producerName = ""                         // 2
    var producerVersion = ""                      // 3
    var graph = Onnx_GraphProto()                 // 7
    var opsetImport: [Onnx_OperatorSetIdProto] = []  // 8

    func encode(to w: inout ProtobufWriter) {
        w.int64(1, irVersion)
        w.string(2, producerName)
        w.string(3, producerVersion)
        w.message(7, graph)
        for opset in opsetImport { w.message(8, opset) }
    }
}

/// `OperatorSetIdProto`: an imported operator set (domain `""` is the standard `ai.onnx`).
struct Onnx_OperatorSetIdProto: ProtobufMessage {
    var domain = ""       // 1
    var version: Int64 = 0  // 2

    func encode(to w: inout ProtobufWriter) {
        w.string(1, domain)
        w.int64(2, version)
    }
}

/// `GraphProto`: nodes in topological order, weights as initializers, typed inputs and outputs.
struct Onnx_GraphProto: ProtobufMessage {
    var node: [Onnx_NodeProto] = []               // 1
    var name = ""                                 // 2
    var initializer: [Onnx_TensorProto] = []      // 5
    var input: [Onnx_ValueInfoProto] = []         // 11
    var output: [Onnx_ValueInfoProto] = []        // 12

    func encode(to w: inout ProtobufWriter) {
        for n in node { w.message(1, n) }
        w.string(2, name)
        for t in initializer { w.message(5, t) }
        for i in input { w.message(11, i) }
        for o in output { w.message(12, o) }
    }
}

/// `NodeProto`: one operator application.
struct Onnx_NodeProto: ProtobufMessage {
    var input: [String] = []                      // 1
    var output: [String] = []                     // 2
    var name = ""                                 // 3
    var opType = ""                               // 4
    var attribute: [Onnx_AttributeProto] = []     // 5
    var domain = ""                               // 7 (empty: the standard domain, left out)

    func encode(to w: inout ProtobufWriter) {
        for i in input { w.string(1, i) }
        for o in output { w.string(2, o) }
        w.string(3, name)
        w.string(4, opType)
        for a in attribute { w.message(5, a) }
        if !domain.isEmpty { w.string(7, domain) }
    }
}

/// `AttributeProto`: a named node attribute; `type` says which value field is written.
struct Onnx_AttributeProto: ProtobufMessage {
    /// `AttributeProto.AttributeType` (the kinds the exporter writes).
    enum AttributeType: Int {
        case undefined = 0, float = 1, int = 2, string = 3, floats = 6, ints = 7, strings = 8
    }

    var name = ""                     // 1
    var f: Float = 0                  // 2
    var i: Int64 = 0                  // 3
    var s = Data()                    // 4
    var floats: [Float] = []          // 7, not packed
    var ints: [Int64] = []            // 8, not packed
    var strings: [Data] = []          // 9
    var type: AttributeType = .undefined  // 20

    func encode(to w: inout ProtobufWriter) {
        w.string(1, name)
        switch type {
        case .float: w.float(2, f)
        case .int: w.int64(3, i)
        case .string: w.bytes(4, s)
        case .floats: for v in floats { w.float(7, v) }
        case .ints: for v in ints { w.int64(8, v) }
        case .strings: for v in strings { w.bytes(9, v) }
        case .undefined: break
        }
        w.uint64(20, UInt64(type.rawValue))
    }
}

/// `TensorProto`: an initializer; values in `rawData` (little-endian) or in the typed field of its `dataType`.
struct Onnx_TensorProto: ProtobufMessage {
    /// `TensorProto.DataType` (the element types the exporter uses; raw values as in onnx.proto).
    enum DataType: Int {
        case undefined = 0, float = 1, int64 = 7, string = 8, double = 11
    }

    var dims: [Int64] = []            // 1, not packed
    var dataType: Int32 = 0           // 2
    var int64Data: [Int64] = []       // 7, packed
    var name = ""                     // 8
    var rawData = Data()              // 9
    var doubleData: [Double] = []     // 10, packed

    func encode(to w: inout ProtobufWriter) {
        for d in dims { w.int64(1, d) }
        w.int64(2, Int64(dataType))
        w.packedInt64(7, int64Data)
        w.string(8, name)
        if !rawData.isEmpty { w.bytes(9, rawData) }
        w.packedDouble(10, doubleData)
    }
}

/// `ValueInfoProto`: a graph input's or output's name and tensor type.
struct Onnx_ValueInfoProto: ProtobufMessage {
    var name = ""                     // 1
    var type = Onnx_TypeProto()       // 2

    func encode(to w: inout ProtobufWriter) {
        w.string(1, name)
        w.message(2, type)
    }
}

/// `TypeProto`, tensor case only (`tensor_type`, field 1 of the `value` oneof).
struct Onnx_TypeProto: ProtobufMessage {
    /// `TypeProto.Tensor`: element type (a `TensorProto.DataType`) and shape.
    struct Tensor: ProtobufMessage {
        var elemType: Int32 = 0               // 1
        var shape = Onnx_TensorShapeProto()   // 2

        func encode(to w: inout ProtobufWriter) {
            w.int64(1, Int64(elemType))
            w.message(2, shape)
        }
    }

    var tensorType = Tensor()         // 1

    func encode(to w: inout ProtobufWriter) { w.message(1, tensorType) }
}

/// `TensorShapeProto`: one `Dimension` per axis.
struct Onnx_TensorShapeProto: ProtobufMessage {
    /// A fixed size (`dim_value`, 1) or a symbolic name (`dim_param`, 2), the `value` oneof.
    struct Dimension: ProtobufMessage {
        enum OneOf_Value: Equatable, Sendable {
            case dimValue(Int64)
            case dimParam(String)
        }

        var value: OneOf_Value?

        var dimValue: Int64 {
            get { if case let .dimValue(v) = value { v } else { 0 } }
            set { value = .dimValue(newValue) }
        }

        var dimParam: String {
            get { if case let .dimParam(p) = value { p } else { "" } }
            set { value = .dimParam(newValue) }
        }

        func encode(to w: inout ProtobufWriter) {
            switch value {
            case let .dimValue(v): w.int64(1, v)
            case let .dimParam(p): w.string(2, p)
            case nil: break
            }
        }
    }

    var dim: [Dimension] = []         // 1

    func encode(to w: inout ProtobufWriter) {
        for d in dim { w.message(1, d) }
    }
}
