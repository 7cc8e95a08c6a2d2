import Foundation
import Testing
@testable import TrainKitONNX

// The bytes of a tiny model against the bytes Python's onnx (1.23.2) writes for the same ModelProto: field
// numbers, wire types, packed `int64_data` / `double_data`, unpacked `dims` / `ints` / `floats`, the oneof of
// `TensorShapeProto.Dimension`, and `AttributeProto.type` after the value. The Python side builds each message
// field by field (as the Swift graph sets them) and prints `SerializeToString().hex()`.

/// `model.SerializeToString().hex()` of the same graph built with Python's onnx.
private let pythonONNXBytes = [
    "08081208747261696e6b69741a01313ae4020a150a01780a017712016d1a054d756c5f3022034d756c0a330a016d0a05",
    "73686170651201721a09526573686170655f312207526573686170652a100a09616c6c6f777a65726f1800a001020a83",
    "010a01721201651a08437573746f6d5f322206437573746f6d2a0f0a05616c706861150000c03fa001012a160a046178",
    "6573400040ffffffffffffffffff01a001072a0f0a046b6579734a01704a0171a001082a0c0a046d6f6465220161a001",
    "032a150a067363616c65733d0000803f3d00000040a001063a0a61692e6f6e6e782e6d6c0a1c0a01651201791a0a4964",
    "656e746974795f3322084964656e74697479120474696e792a130801080210014201774a080000003f000000c02a1808",
    "0210073a0bffffffffffffffffff0102420573686170652a110801100b4201645208000000000000d03f5a140a017812",
    "0f0a0d080112090a0312014e0a02080262140a0179120f0a0d080112090a0312014e0a02080242040a001011420e0a0a",
    "61692e6f6e6e782e6d6c1003",
].joined()

/// x * w, reshaped by an int64 constant, through a node with one attribute of each kind, named `y`;
/// a float64 initializer rides along.
private func tinyGraph() throws -> ONNXGraph {
    var g = ONNXGraph(name: "tiny")
    let x = try g.addInput("x", type: .float, shape: [.batch, .fixed(2)])
    let w = g.constant([0.5, -2], shape: [1, 2], name: "w")
    let shape = g.constant(int64: [-1, 2], shape: [2], name: "shape")
    _ = g.constant(double: [0.25], shape: [1], name: "d")
    let m = g.node("Mul", [x, w], name: "m")
    let r = g.node("Reshape", [m, shape], attributes: ["allowzero": .int(0)], name: "r")
    let e = g.node("Custom", [r], attributes: [
        "alpha": .float(1.5), "axes": .ints([0, -1]), "keys": .strings(["p", "q"]), "mode": .string("a"),
        "scales": .floats([1, 2]),
    ], domain: "ai.onnx.ml", name: "e")
    try g.addOutput(e, name: "y", type: .float, shape: [.batch, .fixed(2)])
    return g
}

@Test func serializedBytesEqualPythonONNXForTheSameModel() throws {
    let hex = try tinyGraph().serializedData().map { String(format: "%02x", $0) }.joined()
    #expect(hex.count == 792)
    #expect(hex == pythonONNXBytes)
}

@Test func unpackedRepeatedFieldsTakeOneKeyPerElement() throws {
    // AttributeProto.ints (field 8, varint) is not packed in onnx.proto: two elements are two keys 0x40.
    var attribute = Onnx_AttributeProto()
    attribute.name = "a"
    attribute.type = .ints
    attribute.ints = [1, 2]
    #expect(try [UInt8](attribute.serializedData()) == [0x0A, 0x01, 0x61, 0x40, 0x01, 0x40, 0x02, 0xA0, 0x01, 0x07])
    // TensorProto.int64_data (field 7) is `[packed = true]`: one key 0x3A, a length, then the varints. (Proto2
    // writes the fields that are set: `data_type` 0 (0x10 0x00) and `name` "" (0x42 0x00), set as the graph sets them.)
    var tensor = Onnx_TensorProto()
    tensor.dataType = 0
    tensor.int64Data = [1, 2]
    tensor.name = ""
    #expect(try [UInt8](tensor.serializedData()) == [0x10, 0x00, 0x3A, 0x02, 0x01, 0x02, 0x42, 0x00])
}
