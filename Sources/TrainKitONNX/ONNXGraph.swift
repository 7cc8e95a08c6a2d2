import Foundation
import SwiftProtobuf
import TrainKit

/// An ONNX graph under construction: inputs, nodes, initializers (weights) and outputs, serialized as an ONNX
/// `ModelProto` (opset 17, plus `ai.onnx.ml` 3 for string encoders) that `onnxruntime` loads.
///
/// Value names are unique: ``node(_:_:attributes:domain:name:)`` returns the name of the value it made, and the
/// layer and preprocessing builders chain those names. The batch dimension of every input and output is symbolic
/// (`N`), so one file serves any batch size.
///
/// The messages are swift-protobuf's, generated from Protos/onnx.proto (proto2) into Generated/onnx.pb.swift by
/// scripts/generate-protos. Proto2 writes a field when it is set, even to its default, so the builders set exactly
/// the fields Python's onnx helpers set (the bytes are compared in ONNXWireFormatTests).
///
/// ```swift
/// var graph = ONNXGraph(name: "mlp")
/// let x = graph.addInput("features", type: .float, shape: [.batch, .fixed(4)])
/// let y = try graph.apply(model, to: x)
/// graph.addOutput(y, name: "logits", type: .float, shape: [.batch, .fixed(3)])
/// try graph.serializedData().write(to: url)
/// ```
public struct ONNXGraph {
    /// The default opset of the standard domain; `ai.onnx.ml` is imported at ``mlOpsetVersion``.
    public static let opsetVersion = 17
    public static let mlOpsetVersion = 3
    /// The ONNX IR version written (IR 8 goes with opset 17).
    public static let irVersion = 8

    /// The element type of a graph input or output.
    public enum ElementType: Sendable {
        case float, double, int64, string

        var protoType: Onnx_TensorProto.DataType {
            switch self {
            case .float: .float
            case .double: .double
            case .int64: .int64
            case .string: .string
            }
        }
    }

    /// One dimension of an input or output: the symbolic batch size `N`, or a fixed size.
    public enum Dimension: Sendable, Equatable {
        case batch
        case fixed(Int)
    }

    /// A node attribute.
    public enum Attribute: Sendable {
        case int(Int)
        case float(Float)
        case ints([Int])
        case floats([Float])
        case string(String)
        case strings([String])
    }

    public let name: String
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private(set) var inputs: [Onnx_ValueInfoProto] = []
    private(set) var outputs: [Onnx_ValueInfoProto] = []
    private var usedNames: Set<String> = []
    private var usesMLDomain = false

    public init(name: String) { self.name = name }

    /// The names of the graph's inputs and outputs, in order.
    public var inputNames: [String] { inputs.map(\.name) }
    public var outputNames: [String] { outputs.map(\.name) }
    /// The operator types of the nodes, in order (for tests and messages).
    public var operatorTypes: [String] { nodes.map(\.opType) }
    /// Initializer names with their shapes.
    public var initializerShapes: [String: [Int]] {
        Dictionary(uniqueKeysWithValues: initializers.map { ($0.name, $0.dims.map { Int($0) }) })
    }

    /// The declared shape of an input or output (`nil` for a batch dimension).
    public func declaredShape(of value: String) -> [Int?]? {
        guard let info = (inputs + outputs).first(where: { $0.name == value }) else { return nil }
        return info.type.tensorType.shape.dim.map { d -> Int? in
            if case let .dimValue(n) = d.value { return Int(n) }
            return nil
        }
    }

    /// A fresh value name starting with `hint` (`hint`, `hint_1`, `hint_2`, ...).
    mutating func uniqueName(_ hint: String) -> String {
        let base = hint.isEmpty ? "value" : hint
        var candidate = base
        var k = 0
        while usedNames.contains(candidate) {
            k += 1
            candidate = "\(base)_\(k)"
        }
        usedNames.insert(candidate)
        return candidate
    }

    /// Declares a graph input named exactly `name` and returns it.
    /// - Throws: ``ONNXExportError/duplicateName(_:)`` when the name is taken.
    @discardableResult
    public mutating func addInput(_ name: String, type: ElementType, shape: [Dimension]) throws -> String {
        guard !usedNames.contains(name) else { throw ONNXExportError.duplicateName(name) }
        usedNames.insert(name)
        inputs.append(Self.valueInfo(name, type: type, shape: shape))
        return name
    }

    /// Declares `value` as a graph output named `name` (through an `Identity` node when the names differ).
    /// - Throws: ``ONNXExportError/duplicateName(_:)`` when `name` is another value's name.
    public mutating func addOutput(_ value: String, name: String, type: ElementType, shape: [Dimension]) throws {
        if value != name {
            guard !usedNames.contains(name) else { throw ONNXExportError.duplicateName(name) }
            usedNames.insert(name)
            appendNode("Identity", [value], outputs: [name], attributes: [:], domain: "")
        }
        outputs.append(Self.valueInfo(name, type: type, shape: shape))
    }

    /// Adds a float initializer holding `values` with `shape` and returns its name.
    public mutating func constant(_ values: [Float], shape: [Int], name: String) -> String {
        addInitializer(.float, count: values.count, shape: shape, name: name) {
            // Little-endian hosts (x86-64, arm64); an empty tensor leaves `raw_data` unset.
            if !values.isEmpty { $0.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) } }
        }
    }

    /// Adds an int64 initializer and returns its name.
    public mutating func constant(int64 values: [Int], shape: [Int], name: String) -> String {
        addInitializer(.int64, count: values.count, shape: shape, name: name) { $0.int64Data = values.map(Int64.init) }
    }

    /// Adds a float64 initializer and returns its name (for math that float32 would round too coarsely).
    public mutating func constant(double values: [Double], shape: [Int], name: String) -> String {
        addInitializer(.double, count: values.count, shape: shape, name: name) { $0.doubleData = values }
    }

    /// Appends an initializer of `dataType` and `shape` whose payload `fill` sets; returns its unique name.
    private mutating func addInitializer(_ dataType: Onnx_TensorProto.DataType, count: Int, shape: [Int], name: String,
                                         fill: (inout Onnx_TensorProto) -> Void) -> String {
        precondition(count == shape.reduce(1, *), "constant \(name): \(count) values for shape \(shape)")
        var t = Onnx_TensorProto()
        t.name = uniqueName(name)
        t.dataType = Int32(dataType.rawValue)
        t.dims = shape.map(Int64.init)
        fill(&t)
        initializers.append(t)
        return t.name
    }

    /// A tensor's values as a float initializer of its shape.
    public mutating func constant(_ tensor: Tensor, name: String) -> String {
        constant(tensor.contiguous().toArray(as: Float.self), shape: tensor.shape, name: name)
    }

    /// Adds an `op` node over `inputs` with one output and returns the output's name (`name` is its hint).
    @discardableResult
    public mutating func node(_ op: String, _ inputs: [String], attributes: [String: Attribute] = [:],
                              domain: String = "", name: String) -> String {
        let output = uniqueName(name)
        appendNode(op, inputs, outputs: [output], attributes: attributes, domain: domain)
        return output
    }

    private mutating func appendNode(_ op: String, _ inputs: [String], outputs: [String],
                                     attributes: [String: Attribute], domain: String) {
        var n = Onnx_NodeProto()
        n.opType = op
        if !domain.isEmpty { n.domain = domain }  // the standard domain is left out, as onnx.helper does
        n.name = "\(op)_\(nodes.count)"
        n.input = inputs
        n.output = outputs
        n.attribute = attributes.keys.sorted().map { Self.attribute($0, attributes[$0]!) }
        if domain == "ai.onnx.ml" { usesMLDomain = true }
        nodes.append(n)
    }

    /// The model as ONNX protobuf bytes (`model.onnx`).
    public func serializedData(producerVersion: String = "1") -> Data {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        do {
            return try modelProto(producerVersion: producerVersion).serializedData(options: options)
        } catch {
            // Encoding fails only on missing `required` fields or an `Any`; onnx.proto declares neither.
            preconditionFailure("ONNX model encoding: \(error)")
        }
    }

    /// The `ModelProto` that ``serializedData(producerVersion:)`` writes.
    func modelProto(producerVersion: String = "1") -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.node = nodes
        graph.initializer = initializers
        graph.input = inputs
        graph.output = outputs
        var model = Onnx_ModelProto()
        model.irVersion = Int64(Self.irVersion)
        model.producerName = "trainkit"
        model.producerVersion = producerVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(Self.opsetVersion)
        model.opsetImport = [opset]
        if usesMLDomain {
            var ml = Onnx_OperatorSetIdProto()
            ml.domain = "ai.onnx.ml"
            ml.version = Int64(Self.mlOpsetVersion)
            model.opsetImport.append(ml)
        }
        model.graph = graph
        return model
    }

    private static func valueInfo(_ name: String, type: ElementType, shape: [Dimension]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(type.protoType.rawValue)
        var s = Onnx_TensorShapeProto()
        s.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            switch d {
            case .batch: dim.dimParam = "N"
            case let .fixed(n): dim.dimValue = Int64(n)
            }
            return dim
        }
        tensor.shape = s
        info.type.tensorType = tensor
        return info
    }

    private static func attribute(_ name: String, _ value: Attribute) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        switch value {
        case let .int(v): a.type = .int; a.i = Int64(v)
        case let .float(v): a.type = .float; a.f = v
        case let .ints(v): a.type = .ints; a.ints = v.map(Int64.init)
        case let .floats(v): a.type = .floats; a.floats = v
        case let .string(v): a.type = .string; a.s = Data(v.utf8)
        case let .strings(v): a.type = .strings; a.strings = v.map { Data($0.utf8) }
        }
        return a
    }
}
