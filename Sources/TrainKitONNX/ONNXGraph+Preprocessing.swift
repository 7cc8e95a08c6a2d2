import TrainKit

extension ONNXGraph {
    /// Declares one input per column of a fitted ``TabularEncoder`` and adds the encoder's transform; returns the
    /// float `[N, F]` feature matrix the model was trained on.
    ///
    /// Inputs, named after the columns, each `[N, 1]`:
    /// - a numeric column is `double` (float64); NaN is a missing value and becomes the imputer's fill, then the
    ///   standard or min-max scaling applies, in float64 as TrainKit computes it, and the result becomes float32;
    /// - a categorical column is `string` (a number read as a category in its text form: `3`, not `3.0`); any of
    ///   `missingValues` (the CSV reader's missing-value tokens) is replaced by the imputer's fill; then one-hot
    ///   columns (all zeros for a category training never saw) or the ordinal code (-1 for an unseen category)
    ///   through `ai.onnx.ml.LabelEncoder`.
    /// - Throws: ``ONNXExportError/duplicateName(_:)`` when a column name is taken.
    public mutating func addTableInputs(_ encoder: TabularEncoder, missingValues: Set<String>) throws -> String {
        var blocks: [String] = []
        for step in encoder.steps {
            let hint = "features." + step.name
            switch step.type {
            case .numeric:  // float64, as TrainKit imputes and scales, then float32 like the encoder's output
                let x = try addInput(step.name, type: .double, shape: [.batch, .fixed(1)])
                let missing = node("IsNaN", [x], name: hint + ".missing")
                let fill = constant(double: [step.imputer.numericFill], shape: [], name: hint + ".fill")
                var y = node("Where", [missing, fill, x], name: hint + ".imputed")
                if let s = step.standardScaler {
                    y = node("Sub", [y, constant(double: [s.mean[0]], shape: [], name: hint + ".mean")], name: hint + ".centered")
                    y = node("Div", [y, constant(double: [s.std[0]], shape: [], name: hint + ".std")], name: hint + ".standardized")
                }
                if let s = step.minMaxScaler {
                    let span = s.maximum[0] - s.minimum[0]
                    let factor = span > 0 ? (s.upper - s.lower) / span : 0  // a constant column maps to `lower`
                    y = node("Sub", [y, constant(double: [s.minimum[0]], shape: [], name: hint + ".min")], name: hint + ".shifted")
                    y = node("Mul", [y, constant(double: [factor], shape: [], name: hint + ".factor")], name: hint + ".scaled")
                    y = node("Add", [y, constant(double: [s.lower], shape: [], name: hint + ".lower")], name: hint + ".min_max")
                }
                blocks.append(node("Cast", [y], attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))],
                                   name: hint + ".value"))
            case .string:
                let x = try addInput(step.name, type: .string, shape: [.batch, .fixed(1)])
                let categories = step.oneHot?.categories ?? step.ordinal?.categories ?? []
                let fillCode = categories.firstIndex(of: step.imputer.stringFill) ?? -1
                let extra = missingValues.subtracting(categories).sorted()
                let keys = categories + extra
                guard !keys.isEmpty else {
                    throw ONNXExportError.unsupportedModel("column '\(step.name)' has no categories and no missing-value tokens to encode")
                }
                let codes = node("LabelEncoder", [x], attributes: [
                    "keys_strings": .strings(keys),
                    "values_int64s": .ints(Array(categories.indices) + extra.map { _ in fillCode }),
                    "default_int64": .int(-1),
                ], domain: "ai.onnx.ml", name: hint + ".code")
                if step.oneHot != nil {
                    let range = constant(int64: Array(categories.indices), shape: [categories.count], name: hint + ".categories")
                    let hits = node("Equal", [codes, range], name: hint + ".hits")
                    blocks.append(node("Cast", [hits], attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))],
                                       name: hint + ".one_hot"))
                } else {
                    blocks.append(node("Cast", [codes], attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))],
                                       name: hint + ".ordinal"))
                }
            }
        }
        guard !blocks.isEmpty else { throw ONNXExportError.unsupportedModel("the table has no input columns") }
        return blocks.count == 1 ? blocks[0] : node("Concat", blocks, attributes: ["axis": .int(1)], name: "features")
    }

    /// Declares the float input `image` `[N, C, H, W]` holding the IDX file's values (pixels 0–255), and adds the
    /// training preprocessing: `/ 255`, the per-channel `(x - mean) / std` when given, and flattening to
    /// `[N, C·H·W]` when `flatten`. Returns the model input.
    public mutating func addImageInput(shape: [Int], mean: [Double]?, std: [Double]?, flatten: Bool) throws -> String {
        precondition(shape.count == 3, "addImageInput: shape must be [C, H, W], got \(shape)")
        let x = try addInput("image", type: .float, shape: [.batch] + shape.map { .fixed($0) })
        var y = node("Div", [x, scalar(255, name: "image.scale")], name: "image.unit")
        if let mean, let std {
            let c = shape[0]
            y = node("Sub", [y, constant(mean.map { Float($0) }, shape: [1, c, 1, 1], name: "image.mean")], name: "image.centered")
            y = node("Div", [y, constant(std.map { Float($0) }, shape: [1, c, 1, 1], name: "image.std")], name: "image.normalized")
        }
        return flatten ? node("Flatten", [y], attributes: ["axis": .int(1)], name: "image.flat") : y
    }

    /// Classifier outputs from `[N, C]` logits: `probabilities` (softmax, `[N, C]` float) and `label` (the
    /// most probable class name, `[N]` string).
    public mutating func addClassifierOutputs(logits: String, classes: [String]) throws {
        let p = node("Softmax", [logits], attributes: ["axis": .int(-1)], name: "softmax")
        try addOutput(p, name: "probabilities", type: .float, shape: [.batch, .fixed(classes.count)])
        let best = node("ArgMax", [logits], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "argmax")
        let label = node("LabelEncoder", [best], attributes: [
            "keys_int64s": .ints(Array(classes.indices)), "values_strings": .strings(classes), "default_string": .string(""),
        ], domain: "ai.onnx.ml", name: "class_name")
        try addOutput(label, name: "label", type: .string, shape: [.batch])
    }

    /// A regression output from `[N, 1]` values: `prediction`, `[N]` float.
    public mutating func addRegressionOutput(_ values: String) throws {
        let flat = node("Reshape", [values, constant(int64: [-1], shape: [1], name: "flat_shape")], name: "flat")
        try addOutput(flat, name: "prediction", type: .float, shape: [.batch])
    }
}
