/// An Open Inference Protocol v2 inference request, read from its JSON body:
///
///     {"id": "42", "inputs": [{"name": "input", "shape": [2, 11], "datatype": "FP32", "data": [[…], […]]}],
///      "outputs": [{"name": "prediction"}]}
///
/// `data` may be flat (row-major) or nested to the tensor's shape; its element count must equal the product of
/// `shape`. Numeric datatypes take JSON numbers (finite, integers for the integer types), `BYTES` takes strings.
public struct InferenceRequest: Sendable, Equatable {
    public var id: String?
    public var inputs: [InferenceInput]
    /// The outputs asked for by name (nil: all).
    public var outputs: [String]?

    /// The most elements one input may hold (a bound on what a body can make the server allocate).
    public static let maxElements = 50_000_000

    public init(id: String? = nil, inputs: [InferenceInput], outputs: [String]? = nil) {
        self.id = id
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Reads a request body; every problem is a 400 naming the field (`inputs[1].shape`, …).
    public static func parse(_ body: [UInt8]) throws(InferenceError) -> InferenceRequest {
        let root = try InferenceJSON.parse(body)
        guard case .object = root else { throw .badRequest("the body must be a JSON object, not \(root.kind)") }
        var id: String? = nil
        if let value = root["id"] {
            guard case .string(let s) = value else { throw .badRequest("'id' must be a string, not \(value.kind)") }
            id = s
        }
        guard let inputsValue = root["inputs"] else { throw .badRequest("the request has no 'inputs'") }
        guard case .array(let items) = inputsValue, !items.isEmpty else {
            throw .badRequest("'inputs' must be a non-empty array of tensors")
        }
        var inputs: [InferenceInput] = []
        for (i, item) in items.enumerated() {
            inputs.append(try input(item, at: "inputs[\(i)]"))
        }
        var names = Set<String>()
        for input in inputs where !names.insert(input.name).inserted {
            throw .badRequest("the input '\(input.name)' is given twice")
        }
        var outputs: [String]? = nil
        if let value = root["outputs"] {
            guard case .array(let items) = value else { throw .badRequest("'outputs' must be an array, not \(value.kind)") }
            outputs = try items.enumerated().map { (i, item) throws(InferenceError) -> String in
                guard case .string(let name)? = item["name"] else {
                    throw .badRequest("outputs[\(i)] must be an object with a string 'name'")
                }
                return name
            }
        }
        return InferenceRequest(id: id, inputs: inputs, outputs: outputs)
    }

    private static func input(_ value: InferenceJSON.Value, at path: String) throws(InferenceError) -> InferenceInput {
        guard case .object = value else { throw .badRequest("\(path) must be an object, not \(value.kind)") }
        guard case .string(let name)? = value["name"], !name.isEmpty else {
            throw .badRequest("\(path) needs a non-empty string 'name'")
        }
        let at = "\(path) ('\(name)')"
        guard case .array(let dims)? = value["shape"] else { throw .badRequest("\(at) needs 'shape', an array of sizes") }
        var shape: [Int] = []
        for d in dims {
            guard case .number(let x) = d, x >= 0, x == x.rounded(), x <= Double(maxElements) else {
                throw .badRequest("\(at): 'shape' must hold non-negative integers, got \(d.kind == "a number" ? "\(d)" : d.kind)")
            }
            shape.append(Int(x))
        }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= maxElements else { throw .badRequest("\(at): shape \(shape) holds more than \(maxElements) elements") }
        guard case .string(let typeName)? = value["datatype"] else { throw .badRequest("\(at) needs a string 'datatype'") }
        guard let datatype = InferenceDatatype(rawValue: typeName) else {
            throw .badRequest("\(at): datatype '\(typeName)' is not supported (one of \(InferenceDatatype.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let data = value["data"] else { throw .badRequest("\(at) has no 'data'") }
        var flat: [InferenceJSON.Value] = []
        flat.reserveCapacity(count)
        try flatten(data, into: &flat, at: at)
        guard flat.count == count else {
            throw .badRequest("\(at): 'data' holds \(flat.count) values, but shape \(shape) needs \(count)")
        }
        let values: InferenceValues
        switch datatype {
        case .bytes:
            values = .strings(try flat.enumerated().map { (i, v) throws(InferenceError) -> String in
                guard case .string(let s) = v else { throw .badRequest("\(at): element \(i) is \(v.kind); BYTES takes strings") }
                return s
            })
        case .fp32, .fp64:
            values = .numbers(try flat.enumerated().map { (i, v) throws(InferenceError) -> Double in
                guard case .number(let x) = v else { throw .badRequest("\(at): element \(i) is \(v.kind); \(typeName) takes numbers") }
                if datatype == .fp32, !Float(x).isFinite {
                    throw .badRequest("\(at): element \(i) (\(x)) does not fit FP32")
                }
                return x
            })
        case .bool:
            values = .numbers(try flat.enumerated().map { (i, v) throws(InferenceError) -> Double in
                guard case .bool(let b) = v else { throw .badRequest("\(at): element \(i) is \(v.kind); BOOL takes true/false") }
                return b ? 1 : 0
            })
        default:
            values = .numbers(try flat.enumerated().map { (i, v) throws(InferenceError) -> Double in
                guard case .number(let x) = v, x == x.rounded() else {
                    throw .badRequest("\(at): element \(i) is \(v.kind == "a number" ? "not an integer" : v.kind); \(typeName) takes integers")
                }
                return x
            })
        }
        return InferenceInput(name: name, shape: shape, datatype: datatype, values: values)
    }

    /// Appends the leaves of nested arrays in row-major order.
    private static func flatten(_ value: InferenceJSON.Value, into out: inout [InferenceJSON.Value],
                                at path: String) throws(InferenceError) {
        if case .array(let items) = value {
            for item in items { try flatten(item, into: &out, at: path) }
        } else if case .object = value {
            throw .badRequest("\(path): 'data' holds an object; it must be an array of values")
        } else {
            out.append(value)
        }
    }
}
