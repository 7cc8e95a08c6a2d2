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
        let dims: [InferenceJSON.Value]
        switch value["shape"] {
        case .array(let items)?: dims = items
        case .numbers(let xs)?: dims = xs.map(InferenceJSON.Value.number)
        default: throw .badRequest("\(at) needs 'shape', an array of sizes")
        }
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
        guard data.kind == "an array" else {
            throw .badRequest("\(at): 'data' must be an array, not \(data.kind)")
        }
        var leaves = Leaves(datatype: datatype, at: at)
        leaves.reserve(min(count, 1 << 16))  // not what a hostile shape claims
        try leaves.collect(data)
        guard leaves.count == count else {
            throw .badRequest("\(at): 'data' holds \(leaves.count) values, but shape \(shape) needs \(count)")
        }
        let values: InferenceValues = datatype == .bytes ? .strings(leaves.strings) : .numbers(leaves.numbers)
        return InferenceInput(name: name, shape: shape, datatype: datatype, values: values)
    }

    /// The leaves of a tensor's (possibly nested) `data`, in row-major order, checked against its datatype:
    /// finite numbers (within FP32 for FP32, integers for the integer types), booleans for BOOL, strings for BYTES.
    private struct Leaves {
        let datatype: InferenceDatatype
        let at: String
        var numbers: [Double] = []
        var strings: [String] = []
        var count: Int { datatype == .bytes ? strings.count : numbers.count }

        init(datatype: InferenceDatatype, at: String) {
            self.datatype = datatype
            self.at = at
        }

        mutating func reserve(_ n: Int) {
            if datatype == .bytes { strings.reserveCapacity(n) } else { numbers.reserveCapacity(n) }
        }

        mutating func collect(_ value: InferenceJSON.Value) throws(InferenceError) {
            switch value {
            case .array(let items):
                for item in items { try collect(item) }
            case .numbers(let xs):
                guard datatype != .bytes && datatype != .bool else { throw mismatch(value) }
                let first = numbers.count
                numbers.append(contentsOf: xs)
                try check(from: first)
            case .number(let x):
                guard datatype != .bytes && datatype != .bool else { throw mismatch(value) }
                numbers.append(x)
                try check(from: numbers.count - 1)
            case .bool(let b):
                guard datatype == .bool else { throw mismatch(value) }
                numbers.append(b ? 1 : 0)
            case .string(let s):
                guard datatype == .bytes else { throw mismatch(value) }
                strings.append(s)
            case .null:
                throw mismatch(value)
            case .object:
                throw .badRequest("\(at): 'data' holds an object; it must be an array of values")
            }
        }

        /// FP32 range and integrality of the numbers from `first` on.
        private func check(from first: Int) throws(InferenceError) {
            switch datatype {
            case .fp32:
                for i in first..<numbers.count where !Float(numbers[i]).isFinite {
                    throw .badRequest("\(at): element \(i) (\(numbers[i])) does not fit FP32")
                }
            case .fp64: break
            default:
                for i in first..<numbers.count where numbers[i] != numbers[i].rounded() {
                    throw .badRequest("\(at): element \(i) is not an integer; \(datatype.rawValue) takes integers")
                }
            }
        }

        private func mismatch(_ value: InferenceJSON.Value) -> InferenceError {
            let wants = switch datatype {
            case .bytes: "BYTES takes strings"
            case .bool: "BOOL takes true/false"
            case .fp32, .fp64: "\(datatype.rawValue) takes numbers"
            default: "\(datatype.rawValue) takes integers"
            }
            return .badRequest("\(at): element \(count) is \(value.kind); \(wants)")
        }
    }
}
