import TrainKit

/// `trainkit predict` for `kmeans`, `pca` and `gmm`, as CSV (a header, then one line per row) or JSON lines:
///
/// | kind | CSV | JSON line |
/// |---|---|---|
/// | kmeans | `row,cluster,distance_0,...` | `{"row": "1", "cluster": 2, "distances": [...]}` |
/// | gmm | `row,cluster,p_0,...` | `{"row": "1", "cluster": 2, "probabilities": [...]}` |
/// | pca | `row,component_0,...` | `{"row": "1", "components": [...]}` |
///
/// Clusters are numbered from 0, as scikit-learn's `labels_`; distances are to each centre (`transform`),
/// probabilities each component's (`predict_proba`), components the projection (`transform`).
struct UnsupervisedPredictions {
    let format: PredictionWriter.Format

    func text(_ fitted: FittedEstimator, features: Tensor, names: [String]) throws -> String {
        let values = try fitted.output(features)
        let clusters = try fitted.clusters(features)?.toArray(as: Int64.self)
        let width = values.shape[1]
        let flat = values.toArray(as: Double.self)
        let (column, key): (String, String) = switch fitted.model {
        case .kmeans: ("distance", "distances")
        case .gmm: ("p", "probabilities")
        case .pca: ("component", "components")
        }
        var lines: [String] = []
        if format == .csv {
            lines.append((["row"] + (clusters == nil ? [] : ["cluster"]) + (0..<width).map { "\(column)_\($0)" }).joined(separator: ","))
        }
        for r in 0..<names.count {
            let row = Array(flat[(r * width)..<((r + 1) * width)])
            switch format {
            case .csv:
                lines.append(([PredictionWriter.csvField(names[r])] + (clusters.map { ["\($0[r])"] } ?? []) + row.map { "\($0)" })
                    .joined(separator: ","))
            case .jsonl:
                var object: [String: JSONValue] = ["row": .string(names[r]), key: .array(row.map(JSONValue.number))]
                if let clusters { object["cluster"] = .number(Double(clusters[r])) }
                lines.append(try JSONValue.object(object).text())
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
