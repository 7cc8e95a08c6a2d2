/// The JSON body of an inference response:
/// `{"model_name", "model_version", "id"?, "outputs": [{"name", "datatype", "shape", "data"}]}` (data flat,
/// row-major; FP32 values written with the shortest decimal that reads back to the same float, a non-finite
/// value as `null`).
public enum InferenceResponse {
    public static func json(model: String, version: String, id: String?, outputs: [InferenceOutput]) -> String {
        var out = "{\"model_name\":\(InferenceJSON.quoted(model)),\"model_version\":\(InferenceJSON.quoted(version)),"
        if let id { out += "\"id\":\(InferenceJSON.quoted(id)),"}
        out += "\"outputs\":["
        for (i, o) in outputs.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":\(InferenceJSON.quoted(o.name)),\"datatype\":\"\(o.datatype.rawValue)\",\"shape\":["
            out += o.shape.map(String.init).joined(separator: ",") + "],\"data\":["
            switch o.values {
            case .numbers(let v):
                let single = o.datatype == .fp32
                for (j, x) in v.enumerated() {
                    if j > 0 { out += "," }
                    if !x.isFinite { out += "null" } else if single { out += Float(x).description } else { out += x.description }
                }
            case .integers(let v):
                out += v.map(String.init).joined(separator: ",")
            case .strings(let v):
                out += v.map(InferenceJSON.quoted).joined(separator: ",")
            }
            out += "]}"
        }
        return out + "]}"
    }
}
