import ArgumentParser
import Foundation
import TrainKit

/// `trainkit info RUN_DIR_OR_MODEL`: architecture, parameter count, preprocessing and metrics.
struct InfoCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a trained model: architecture, parameter count, preprocessing and metrics.")

    @Argument(help: "A run directory, a model directory, or a model.json / weights file.", completion: .file())
    var model: String

    @Flag(help: "Print model.json as it is.")
    var json = false

    func execute(_ io: CommandIO) throws {
        let (artifact, layer, url) = try ModelArtifact.load(model)
        if json {
            io.output(String(decoding: try JSONCoding.encodeModelFile(artifact), as: UTF8.self))
            return
        }
        let spec = artifact.spec
        let pre = artifact.preprocessing
        var lines = ["model: \(url.path)",
                     "kind: \(spec.kind.rawValue) (\(pre.task.rawValue))",
                     "parameters: \(layer.parameterCount)"]
        lines.append("architecture:")
        lines.append(contentsOf: (layer as? FittedEstimator).map { ["  " + EstimatorFit.describe($0)] } ?? describe(layer, indent: "  "))
        lines.append("tensors:")
        for t in artifact.tensors { lines.append("  \(t.name) \(t.shape)") }
        lines.append("preprocessing: \(pre.format.rawValue)")
        if let table = pre.table {
            lines.append("  target: \(table.target ?? "none")")
            lines.append("  inputs: \(table.inputColumns.count) columns -> \(table.encoder.outputNames.count) features")
            for step in table.encoder.steps {
                var parts = ["\(step.type.rawValue)"]
                if let s = step.standardScaler { parts.append(String(format: "standardized (mean %.4g, std %.4g)", s.mean[0], s.std[0])) }
                if let o = step.oneHot { parts.append("one-hot over \(o.categories.count) categories") }
                if let o = step.ordinal { parts.append("embedded, \(o.categories.count) categories") }
                parts.append(step.type == .numeric ? String(format: "missing -> %.4g", step.imputer.numericFill) : "missing -> \(step.imputer.stringFill)")
                lines.append("    \(step.name): " + parts.joined(separator: ", "))
            }
        }
        if let images = pre.images {
            lines.append("  images \(images.imageShape)" + (images.normalization.map { String(format: ", normalized (mean %.4f, std %.4f)", $0.mean[0], $0.std[0]) } ?? "") + (images.flatten ? ", flattened" : ""))
        }
        if let text = pre.text {
            lines.append("  tokenizer: \(text.tokenizer), \(text.vocabularySize) ids, max length \(text.maxLength)" + (text.ngrams > 1 ? ", \(text.ngrams)-grams" : ""))
        }
        if let r = pre.ratings {
            lines.append("  \(r.users.count) users, \(r.items.count) items, ratings \(String(format: "%g", r.minRating))...\(String(format: "%g", r.maxRating)), mean \(String(format: "%.4f", r.globalMean))")
        }
        if let labels = artifact.labels {
            lines.append("labels: " + labels.prefix(20).joined(separator: ", ") + (labels.count > 20 ? ", ... (\(labels.count))" : ""))
        }
        lines.append("metrics:")
        for key in artifact.metrics.keys.sorted() { lines.append("  \(key): \(RunReport.format(artifact.metrics[key]!))") }
        io.output(lines.joined(separator: "\n"))
    }

    /// One line per module, children indented under their parent: its path, type and own parameter count.
    func describe(_ module: any Module, indent: String, name: String = "", depth: Int = 0) -> [String] {
        var own = 0
        var children: [(String, any Module)] = []
        for (key, entry) in module.ownEntries {
            switch entry {
            case .parameter(let p): own += p.count
            case .module(let child): children.append((name.isEmpty ? key : "\(name).\(key)", child))
            case .buffer: break
            }
        }
        let line = indent + String(repeating: "  ", count: depth) + (name.isEmpty ? "" : "\(name): ") + "\(type(of: module))"
            + (own > 0 ? " (\(own))" : "")
        return [line] + children.flatMap { describe($0.1, indent: indent, name: $0.0, depth: depth + 1) }
    }
}
