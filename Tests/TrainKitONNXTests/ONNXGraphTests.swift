import Foundation
import Testing
import TrainKit
@testable import TrainKitONNX

// The graph builder on its own: which nodes and initializers a model becomes, the declared shapes, the
// ModelProto it serializes (and its bytes, against Python's onnx), and the named errors for layers it cannot write. scripts/check-onnx runs the files in
// onnxruntime against `trainkit predict`.

/// A layer the exporter does not know.
private final class Doubler: Layer {
    let moduleState = ModuleState()
    func forward(_ x: Tensor) -> Tensor { x * 2 }
}

/// A layer that writes its own nodes.
private final class Negate: Layer, ONNXExportable {
    let moduleState = ModuleState()
    func forward(_ x: Tensor) -> Tensor { x * -1 }
    func exportONNX(into graph: inout ONNXGraph, input: String, path: String) throws -> String {
        graph.node("Neg", [input], name: path + ".neg")
    }
}

@Test func mlpBecomesGemmBatchNormReluGemmWithStateDictNamedWeights() throws {
    let model = Sequential([Linear(4, 8), BatchNorm1d(8), ReLU(), Dropout(p: 0.3), Linear(8, 3)])
    model.isTraining = false
    var graph = ONNXGraph(name: "mlp")
    let x = try graph.addInput("features", type: .float, shape: [.batch, .fixed(4)])
    let y = try graph.apply(model, to: x)
    try graph.addOutput(y, name: "logits", type: .float, shape: [.batch, .fixed(3)])

    #expect(graph.operatorTypes == ["Gemm", "BatchNormalization", "Relu", "Gemm", "Identity"])  // Dropout: no node
    let shapes = graph.initializerShapes
    #expect(shapes["0.weight"] == [8, 4])
    #expect(shapes["0.bias"] == [8])
    #expect(shapes["1.running_mean"] == [8])
    #expect(shapes["1.running_var"] == [8])
    #expect(shapes["4.weight"] == [3, 8])
    #expect(graph.inputNames == ["features"])
    #expect(graph.outputNames == ["logits"])
    #expect(graph.declaredShape(of: "features") == [nil, 4])  // the batch dimension is symbolic
    #expect(graph.declaredShape(of: "logits") == [nil, 3])
}

@Test func serializedModelDeclaresOpset17AndCarriesTheTrainedWeights() throws {
    let linear = Linear(weight: Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3]), bias: Tensor([0.5, -0.5] as [Float], shape: [2]))
    var graph = ONNXGraph(name: "linear")
    let x = try graph.addInput("x", type: .float, shape: [.batch, .fixed(3)])
    try graph.addOutput(try graph.apply(linear, to: x), name: "y", type: .float, shape: [.batch, .fixed(2)])
    let model = graph.modelProto()

    #expect(model.irVersion == 8)
    #expect(model.opsetImport.map(\.domain) == [""])  // no ai.onnx.ml node, no ai.onnx.ml import
    #expect(model.opsetImport.first?.version == 17)
    let weight = try #require(model.graph.initializer.first { $0.name == "weight" })
    #expect(weight.dims == [2, 3])
    let values = weight.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    #expect(values == [1, 2, 3, 4, 5, 6])
    let gemm = try #require(model.graph.node.first { $0.opType == "Gemm" })
    #expect(gemm.input == ["x", "weight", "bias"])
    #expect(gemm.attribute.first { $0.name == "transB" }?.i == 1)
}

@Test func unknownLayerIsANamedErrorWithItsPath() throws {
    let model = Sequential([Linear(2, 2), Sequential([ReLU(), Doubler()])])
    var graph = ONNXGraph(name: "bad")
    let x = try graph.addInput("x", type: .float, shape: [.batch, .fixed(2)])
    #expect(throws: ONNXExportError.unsupportedLayer(path: "1.1", layer: "Doubler")) {
        try graph.apply(model, to: x)
    }
    #expect(throws: ONNXExportError.unsupportedLayer(path: "(model)", layer: "Doubler")) {
        try graph.apply(Doubler(), to: x)
    }
    let message = ONNXExportError.unsupportedLayer(path: "1.1", layer: "Doubler").description
    #expect(message.contains("'1.1'") && message.contains("Doubler"))
}

@Test func unsupportedLayerSettingsAreNamedErrors() throws {
    var graph = ONNXGraph(name: "bad")
    let x = try graph.addInput("x", type: .float, shape: [.batch, .fixed(2), .fixed(3), .fixed(4)])
    #expect(throws: ONNXExportError.self) { try graph.apply(Sequential([Flatten(startDim: 2)]), to: x) }
    do {
        _ = try graph.apply(Sequential([BatchNorm1d(2, trackRunningStats: false)]), to: x)
        Issue.record("a batch norm without running statistics was exported")
    } catch let ONNXExportError.unsupportedConfiguration(path, layer, _) {
        #expect(path == "0")
        #expect(layer == "BatchNorm1d")
    }
}

@Test func exportableLayersWriteTheirOwnNodes() throws {
    var graph = ONNXGraph(name: "custom")
    let x = try graph.addInput("x", type: .float, shape: [.batch, .fixed(2)])
    let y = try graph.apply(Sequential([Negate(), Tanh()]), to: x)
    #expect(graph.operatorTypes == ["Neg", "Tanh"])
    #expect(y.hasPrefix("1."))
}

@Test func tableInputsImputeScaleAndEncodeEachColumn() throws {
    let table = DataTable(columnNames: ["age", "color"],
                          columns: [.numeric([20, .nan, 40]), .string(["red", nil, "blue"])])
    let encoder = TabularEncoder.fit(table)  // age: mean 30, std 10; color: one-hot over [blue, red], fill blue
    var graph = ONNXGraph(name: "table")
    let features = try graph.addTableInputs(encoder, missingValues: ["", "NA"])
    try graph.addOutput(features, name: "features", type: .float, shape: [.batch, .fixed(3)])

    #expect(graph.inputNames == ["age", "color"])
    #expect(graph.declaredShape(of: "age") == [nil, 1])
    let model = graph.modelProto()
    #expect(model.graph.input.map { $0.type.tensorType.elemType } == [11, 8])  // DOUBLE, STRING
    #expect(model.opsetImport.contains { $0.domain == "ai.onnx.ml" && $0.version == 3 })
    let labelEncoder = try #require(model.graph.node.first { $0.opType == "LabelEncoder" })
    let keys = labelEncoder.attribute.first { $0.name == "keys_strings" }!.strings.map { String(decoding: $0, as: UTF8.self) }
    let codes = labelEncoder.attribute.first { $0.name == "values_int64s" }!.ints
    #expect(keys == ["blue", "red", "", "NA"])
    #expect(codes == [0, 1, 0, 0])  // the missing-value tokens take the imputed category's code
    #expect(labelEncoder.attribute.first { $0.name == "default_int64" }?.i == -1)  // unseen: all-zero one-hot
    let fill = try #require(model.graph.initializer.first { $0.name == "features.age.fill" })
    #expect(fill.doubleData == [30])
    #expect(graph.operatorTypes.contains("IsNaN") && graph.operatorTypes.contains("Concat"))
}

@Test func twoInputsWithOneNameAreRefused() throws {
    var graph = ONNXGraph(name: "dup")
    try graph.addInput("x", type: .float, shape: [.batch])
    #expect(throws: ONNXExportError.duplicateName("x")) { try graph.addInput("x", type: .float, shape: [.batch]) }
}

@Test func tabularNetGathersNumbersAndEmbedsEachCategoricalCode() throws {
    let net = TabularNet(cardinalities: [0, 3, 0], embeddingDims: [0, 2, 0], head: { Sequential([Linear($0, 1)]) })
    var graph = ONNXGraph(name: "tabular")
    let x = try graph.addInput("features", type: .float, shape: [.batch, .fixed(3)])
    _ = try graph.apply(net, to: x)
    let shapes = graph.initializerShapes
    #expect(shapes["embeddings.0.weight"] == [4, 2])  // 3 categories + the unknown row 0
    #expect(shapes["head.0.weight"] == [1, 4])       // 2 numbers + a 2-wide embedding
    // numbers: one Gather; the code: Gather, +1, Clip to the table's rows, Cast, Gather into the table.
    #expect(graph.operatorTypes == ["Gather", "Gather", "Add", "Clip", "Cast", "Gather", "Concat", "Gemm"])
}

@Test func textClassifierTakesTokenIdsAndAveragesTheNonPaddingRows() throws {
    let model = TextClassifier(vocabularySize: 10, embeddingDim: 4, head: { Sequential([Linear($0, 2)]) })
    var graph = ONNXGraph(name: "text")
    let ids = try graph.addInput("tokens", type: .int64, shape: [.batch, .fixed(6)])
    let y = try graph.apply(model, to: ids)
    try graph.addClassifierOutputs(logits: y, classes: ["ham", "spam"])
    #expect(graph.initializerShapes["embedding.weight"] == [10, 4])
    let ops = graph.operatorTypes
    #expect(ops.prefix(2) == ["Gather", "Equal"])   // the rows, then the padding mask (id 0)
    #expect(ops.contains("Not") && ops.contains("ReduceSum") && ops.contains("Max"))
    #expect(ops.suffix(6) == ["Gemm", "Softmax", "Identity", "ArgMax", "LabelEncoder", "Identity"])  // outputs renamed
    #expect(graph.outputNames == ["probabilities", "label"])
    #expect(graph.declaredShape(of: "label") == [nil])
}

@Test func lstmEncoderBecomesOneBidirectionalLSTMNodePerLayerWithONNXGateOrder() throws {
    let model = SequenceClassifier(encoder: .lstm, vocabularySize: 12, embeddingDim: 3, sequenceLength: 5, layers: 2,
                                   heads: 1, dropout: 0, head: { Sequential([Linear($0, 2)]) })
    var graph = ONNXGraph(name: "lstm")
    let ids = try graph.addInput("tokens", type: .int64, shape: [.batch, .fixed(5)])
    _ = try graph.apply(model, to: ids)
    #expect(graph.operatorTypes.filter { $0 == "LSTM" }.count == 2)
    #expect(graph.initializerShapes["lstm.W_l0"] == [2, 12, 3])  // directions, 4 gates · hidden 3, input 3
    #expect(graph.initializerShapes["lstm.W_l1"] == [2, 12, 6])  // the second layer reads both directions
    #expect(graph.initializerShapes["lstm.B_l0"] == [2, 24])
    // PyTorch's rows (input, forget, cell, output) are written in ONNX's order (input, output, forget, cell).
    let model2 = graph.modelProto()
    let w = try #require(model2.graph.initializer.first { $0.name == "lstm.W_l0" })
    let written = w.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let pytorch = model.lstm!.weightIH[0].value.toArray(as: Float.self)  // [12, 3]: gates of 3 rows × 3 inputs
    #expect(Array(written[9..<18]) == Array(pytorch[27..<36]))  // ONNX gate 1 (output) is PyTorch gate 3
    #expect(Array(written[18..<27]) == Array(pytorch[9..<18]))  // ONNX gate 2 (forget) is PyTorch gate 1
}

@Test func transformerBlocksAttendWithAPaddingMaskAndLayerNorms() throws {
    let model = SequenceClassifier(encoder: .transformer, vocabularySize: 12, embeddingDim: 4, sequenceLength: 6, layers: 1,
                                   heads: 2, dropout: 0, head: { Sequential([Linear($0, 2)]) })
    var graph = ONNXGraph(name: "transformer")
    let ids = try graph.addInput("tokens", type: .int64, shape: [.batch, .fixed(6)])
    _ = try graph.apply(model, to: ids)
    let ops = graph.operatorTypes
    #expect(ops.filter { $0 == "LayerNormalization" }.count == 3)  // norm1, norm2, the final norm
    #expect(ops.filter { $0 == "Softmax" }.count == 1)
    #expect(graph.initializerShapes["positions.weight"] == [1, 6, 4])
    #expect(graph.initializerShapes["blocks.0.self_attn.q_weight_t"] == [4, 4])
    // Token ids of another length than the position table allows are refused, naming the layer.
    var long = ONNXGraph(name: "long")
    let longIDs = try long.addInput("tokens", type: .int64, shape: [.batch, .fixed(9)])
    #expect(throws: ONNXExportError.self) { try long.apply(model, to: longIDs) }
}
