import ArgumentParser
import Foundation
import TrainKit
import TrainKitONNX

/// `export --format`: the file formats a model can be exported to.
enum ExportFormat: String, CaseIterable, ExpressibleByArgument {
    case onnx

    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `trainkit export RUN_DIR_OR_MODEL --format onnx [--output FILE]`.
struct ExportCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trained model for other runtimes (ONNX).",
        discussion: """
            Writes model.onnx beside model.json (or to --output): the trained network with the preprocessing \
            saved in model.json folded in, so raw column values or pixels go in and probabilities or predictions \
            come out (opset 17, a dynamic batch dimension). docs/interop.md lists the inputs and outputs per \
            model kind. A model the exporter does not cover is refused with exit status 2, naming the layer.
            """)

    @Argument(help: "A run directory, a model directory, or a model.json / weights file.", completion: .file())
    var model: String

    @Option(help: "The export format.")
    var format: ExportFormat = .onnx

    @Option(help: "Write the file here (default: model.onnx beside model.json).", completion: .file())
    var output: String?

    func execute(_ io: CommandIO) throws {
        let url: URL
        do {
            url = try ONNXExport.export(model, to: output)
        } catch let error as ONNXExportError {
            throw ConfigError.usage("\(model): \(error)")
        }
        io.diagnostics("trainkit: wrote \(url.path)")
    }
}
