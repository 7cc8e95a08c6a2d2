import TrainKit
import TrainKitONNX

/// `y = x · std + mean` as ONNX `Mul` and `Add` over the buffers `path.std` and `path.mean`.
extension TargetScale: ONNXExportable {
    public func exportONNX(into graph: inout ONNXGraph, input: String, path: String) throws -> String {
        let hint = path.isEmpty ? "target_scale" : path
        let std = graph.constant(std.value, name: ONNXGraph.join(path, "std"))
        let mean = graph.constant(mean.value, name: ONNXGraph.join(path, "mean"))
        return graph.node("Add", [graph.node("Mul", [input, std], name: hint + ".scaled"), mean], name: hint + ".shifted")
    }
}

/// `skip(x) + deep(x)`.
extension LinearStartNet: ONNXExportable {
    func exportONNX(into graph: inout ONNXGraph, input: String, path: String) throws -> String {
        let skip = try graph.apply(skip, to: input, path: ONNXGraph.join(path, "skip"))
        let deep = try graph.apply(deep, to: input, path: ONNXGraph.join(path, "deep"))
        return graph.node("Add", [skip, deep], name: (path.isEmpty ? "model" : path) + ".sum")
    }
}
