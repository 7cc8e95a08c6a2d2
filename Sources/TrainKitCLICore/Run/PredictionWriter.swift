import Foundation
import TrainKit

/// Formats predictions as CSV (a header, then `row,prediction[,target][,p_<class>...]`) or JSON lines
/// (`{"row": "1", "prediction": "spam", "probabilities": {"ham": 0.02, "spam": 0.98}}`). An autoencoder's
/// rows hold the reconstruction error (mean squared, over the standardized features) and the code:
/// `row,reconstruction_error,code_0,...` or `{"row": "1", "reconstruction_error": 0.12, "code": [...]}`.
struct PredictionWriter {
    enum Format: String { case csv, jsonl }

    let task: TaskKind
    let classes: [String]?
    let format: Format

    /// The text for `outputs` of the model on the rows `names` (with their known `labels`, if any; for an
    /// autoencoder the inputs, and its `codes`).
    func text(outputs: Tensor, names: [String], labels: Tensor?, codes: Tensor? = nil) throws -> String {
        let n = names.count
        var lines: [String] = []
        if task == .reconstruction, let labels, let codes {
            let errors = ((outputs - labels) * (outputs - labels)).mean(1).toArray(as: Double.self)
            let width = codes.shape[1]
            let z = codes.toArray(as: Double.self)
            if format == .csv { lines.append((["row", "reconstruction_error"] + (0..<width).map { "code_\($0)" }).joined(separator: ",")) }
            for r in 0..<n {
                let code = Array(z[(r * width)..<((r + 1) * width)])
                switch format {
                case .csv:
                    lines.append(([Self.csvField(names[r]), "\(errors[r])"] + code.map { "\($0)" }).joined(separator: ","))
                case .jsonl:
                    lines.append(try JSONValue.object(["row": .string(names[r]), "reconstruction_error": .number(errors[r]),
                                                       "code": .array(code.map(JSONValue.number))]).text())
                }
            }
        } else if task == .classification, let classes {
            let probabilities = outputs.softmax(-1).toArray(as: Double.self)
            let width = classes.count
            let truth = labels?.toArray(as: Int64.self)
            if format == .csv {
                lines.append((["row", "prediction"] + (truth == nil ? [] : ["target"]) + classes.map { "p_\($0)" })
                    .map(Self.csvField).joined(separator: ","))
            }
            for r in 0..<n {
                let p = Array(probabilities[(r * width)..<((r + 1) * width)])
                let best = p.indices.max(by: { p[$0] < p[$1] })!
                let target = truth.map { classes[Int($0[r])] }
                switch format {
                case .csv:
                    lines.append(([names[r], classes[best]] + (target.map { [$0] } ?? []) + p.map { String(format: "%.6f", $0) })
                        .map(Self.csvField).joined(separator: ","))
                case .jsonl:
                    var object: [String: JSONValue] = ["row": .string(names[r]), "prediction": .string(classes[best]),
                                                       "probabilities": .object(Dictionary(uniqueKeysWithValues: zip(classes, p.map(JSONValue.number))))]
                    if let target { object["target"] = .string(target) }
                    lines.append(try JSONValue.object(object).text())
                }
            }
        } else {
            let values = outputs.reshape([-1]).toArray(as: Double.self)
            let truth = labels?.reshape([-1]).toArray(as: Double.self)
            if format == .csv { lines.append("row,prediction" + (truth == nil ? "" : ",target")) }
            for r in 0..<n {
                switch format {
                case .csv:
                    lines.append(([names[r], "\(values[r])"] + (truth.map { ["\($0[r])"] } ?? [])).map(Self.csvField).joined(separator: ","))
                case .jsonl:
                    var object: [String: JSONValue] = ["row": .string(names[r]), "prediction": .number(values[r])]
                    if let truth { object["target"] = .number(truth[r]) }
                    lines.append(try JSONValue.object(object).text())
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A small JSON value for writing heterogeneous objects with sorted keys.
enum JSONValue: Encodable {
    case string(String)
    case number(Double)
    case object([String: JSONValue])
    case array([JSONValue])

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let d): try c.encode(d)
        case .object(let o): try c.encode(o)
        case .array(let a): try c.encode(a)
        }
    }

    func text() throws -> String { String(decoding: try JSONCoding.encode(self, pretty: false), as: UTF8.self) }
}
