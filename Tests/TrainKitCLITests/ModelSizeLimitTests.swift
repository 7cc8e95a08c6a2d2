import Foundation
import Testing
@testable import TrainKitCLICore

/// Absurd sizes in a config (a batch of Int.max, a layer of a billion units, a million LSTM layers) are config
/// errors naming the key, the value and the limit, found before any data is read or weight allocated.
@Suite struct ModelSizeLimitTests {
    /// Decodes `yaml` without looking for its data files.
    func decode(_ yaml: String) throws -> RunConfig {
        try RunConfig.decode(try ConfigNode.parse(yaml: yaml, file: "size.yaml"), baseDirectory: "/tmp", checkFiles: false)
    }

    func message(_ yaml: String) -> String? {
        do {
            _ = try decode(yaml)
            return nil
        } catch {
            return "\(error)"
        }
    }

    let text = "data: {train: texts.tsv}\nmodel: {kind: text"

    @Test func d10HugeConfigValuesAreConfigErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(wineConfig(output: dir.appendingPathComponent("run")), to: "config.yaml", in: dir)
        for (assignment, expected) in [
            ("training.batch_size=9223372036854775807",
             "training.batch_size: 9223372036854775807 is above the limit of 16777216 examples per batch"),
            ("model.hidden=[100000000000]", "model.hidden: 100000000000 is above the limit of 1048576 units per layer"),
            ("model.hidden=[64, 1000000000]", "model.hidden: 1000000000 (hidden[1]) is above the limit of 1048576"),
            ("model.hidden=[1000000, 1000000]", "model: the model would have about 1e+12 parameters"),
        ] {
            let result = trainkit(["train", config, "--set", assignment])
            #expect(result.status == 2, "\(assignment)")
            #expect(result.diagnostics.contains(expected), "\(assignment): \(result.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/metrics.jsonl").path))
        }
        let embedding = message("\(text), embedding_dim: 1000000000}")
        #expect(embedding?.contains("model.embedding_dim: 1000000000 is above the limit of 1048576 units") == true)
        let layers = message("\(text), encoder: lstm, layers: 1000000}")
        #expect(layers?.contains("model.layers: 1000000 is above the limit of 1024 layers") == true)
        let length = message("\(text)}\ndata: {train: t.tsv, tokenizer: {max_length: 1000000}}".replacingOccurrences(
            of: "data: {train: texts.tsv}\n", with: ""))
        #expect(length?.contains("data.tokenizer.max_length: 1000000 is above the limit of 16384 tokens per text") == true)
        let attention = message("data: {train: t.tsv, tokenizer: {max_length: 16384}}\nmodel: {kind: text, encoder: transformer}")
        #expect(attention?.contains("model: the attention weights would hold about 1.1e+09 values per example") == true)
        let lstm = message("\(text), encoder: lstm, embedding_dim: 100000, layers: 2}")
        #expect(lstm?.contains("parameters, 4.8e+11 of them in the LSTM layers; the limit is 2147483648") == true)
        let embeddingTable = message("\(text), embedding_dim: 1000000}")
        #expect(embeddingTable?.contains("of them in the token embedding") == true)
    }

    @Test func d10OrdinarySizesPass() throws {
        _ = try decode("\(text), encoder: transformer, embedding_dim: 256, layers: 6}")
        _ = try decode("data: {train: x.csv, target: y}\nmodel: {hidden: [4096, 4096]}\ntraining: {batch_size: 65536}")
        _ = try decode("data: {train: idx}\nmodel: {kind: resnet, channels: [64, 128, 256, 512], layers: 2}")
    }

    @Test func d10ModelSizeFromTheDataIsChecked() throws {
        var spec = ModelSpec(configOnly: try decode("data: {train: x.csv, target: y}\nmodel: {hidden: [100000]}"))
        try checkModelSize(spec: spec)
        spec.inputSize = 40_000
        #expect(throws: ConfigError.self) { try checkModelSize(spec: spec) }
        #expect(ModelSizeEstimate(spec).parameters == 40_003 * 100_000 + 100_003)
    }
}
