import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// A trained wine run copied to `name` in `dir`, with its model.json changed by `edit`.
func editedRun(_ run: URL, _ name: String, in dir: URL, _ edit: (inout [String: Any]) throws -> Void) throws -> URL {
    let copy = dir.appendingPathComponent(name)
    try FileManager.default.copyItem(at: run, to: copy)
    let url = copy.appendingPathComponent("model/model.json")
    var model = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    try edit(&model)
    try JSONSerialization.data(withJSONObject: model).write(to: url)
    return copy
}

/// A regression run on the bundled wine data, trained for one epoch, in `dir/run`.
func trainedWineRun(in dir: URL) throws -> URL {
    let run = dir.appendingPathComponent("run")
    let config = try write(wineConfig(task: "regression", epochs: 1, output: run), to: "wine.yaml", in: dir)
    #expect(trainkit(["train", config]).status == 0)
    return run
}

/// `info`, `predict` and `evaluate` on `run` each exit with 3 and a message containing `message` (and `also`).
func expectDataError(_ run: URL, _ message: String, _ label: String, also: String = "") {
    for command in [["info", run.path], ["predict", run.path, "--data", bundledWine],
                    ["evaluate", run.path, "--data", bundledWine]] {
        let result = trainkit(command)
        #expect(result.status == 3, "\(label) \(command[0]): \(result.diagnostics)")
        #expect(result.diagnostics.contains(message) && (also.isEmpty || result.diagnostics.contains(also)),
                "\(label) \(command[0]): \(result.diagnostics)")
    }
}

/// Damaged or edited model files stop `info`, `evaluate` and `predict` with a data error (exit 3) naming the file
/// and the problem, before the model is built. Serialized: training seeds the process-wide random stream.
@Suite(.serialized) struct ModelFileErrorTests {
    /// D8: out-of-range spec values and preprocessing that does not fit the spec, and a model.json that is not JSON.
    @Test func d8ModelJSONValues() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try trainedWineRun(in: dir)
        #expect(trainkit(["info", run.path]).status == 0)

        func spec(_ key: String, _ value: Any) -> (inout [String: Any]) throws -> Void {
            { model in
                var spec = try #require(model["spec"] as? [String: Any])
                spec[key] = value
                model["spec"] = spec
            }
        }
        let cases: [(String, (inout [String: Any]) throws -> Void, String)] = [
            ("negative-hidden", spec("hidden", [-16]), "spec.hidden[0] must be >= 1, got -16"),
            ("huge-input", spec("input_size", 1_000_000_000_000_000), "spec.inputSize must be <= 16777216"),
            ("wide-input", spec("input_size", 5000), "spec.inputSize × hidden[0] (5000 × 32) is larger than the"),
            ("wide-hidden", spec("hidden", [100_000, 100_000]), "spec.inputSize × hidden[0] (11 × 100000) is larger"),
            ("dropout", spec("dropout", 7.5), "spec.dropout must be in [0, 1], got 7.5"),
            ("scaler", { model in
                var pre = try #require(model["preprocessing"] as? [String: Any])
                var table = try #require(pre["table"] as? [String: Any])
                var encoder = try #require(table["encoder"] as? [String: Any])
                var steps = try #require(encoder["steps"] as? [[String: Any]])
                var scaler = try #require(steps[0]["standard_scaler"] as? [String: Any])
                scaler["mean"] = [Double]()
                steps[0]["standard_scaler"] = scaler
                encoder["steps"] = steps
                table["encoder"] = encoder
                pre["table"] = table
                model["preprocessing"] = pre
            }, "preprocessing.table.encoder.steps[0].standard_scaler has 0 means and 1 stds for 1 feature"),
        ]
        for (name, edit, message) in cases {
            let edited = try editedRun(run, name, in: dir, edit)
            expectDataError(edited, "\(edited.appendingPathComponent("model/model.json").path): \(message)", name)
        }

        let torn = try editedRun(run, "torn", in: dir) { _ in }
        let json = torn.appendingPathComponent("model/model.json")
        try Data(try Data(contentsOf: json).prefix(40)).write(to: json)
        let result = trainkit(["info", torn.path])
        #expect(result.status == 3 && result.diagnostics.contains("\(json.path): not a TrainKit model.json"),
                "\(result.diagnostics)")
    }

    /// D15 (4.22, 4.33, 4.42): weights stored with an integer dtype, or holding NaN or infinity, are refused at
    /// load with the weights file and the tensor named, instead of predictions from converted or NaN weights.
    @Test func d15IntegerAndNonFiniteWeights() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try trainedWineRun(in: dir)
        let cases: [(String, (String, Tensor) -> Tensor, String)] = [
            ("integers", { _, t in t.to(.int64) }, "has a non-float dtype (int64 as read)"),
            ("nan", { name, t in name.hasSuffix("weight") ? t * Tensor(scalar: .nan) : t }, "holds a non-finite value (nan at index 0)"),
            ("inf", { name, t in name.hasSuffix("bias") ? t + Tensor(scalar: .infinity) : t }, "holds a non-finite value (inf at index 0)"),
        ]
        for (name, change, message) in cases {
            let edited = try editedRun(run, name, in: dir) { _ in }
            let weights = edited.appendingPathComponent("model/weights.safetensors")
            let (tensors, metadata) = try SafeTensors.read(from: weights)
            try SafeTensors.write(Dictionary(uniqueKeysWithValues: tensors.map { ($0, change($0, $1)) }),
                                  metadata: metadata, to: weights)
            expectDataError(edited, "\(weights.path): tensor '", name, also: message)
        }
    }
}
