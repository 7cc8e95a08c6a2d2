import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// `train --init-from` keeps the source's preprocessing for texts (vocabulary, classes) and IDX images
/// (shape, normalization, classes), as it does for tables; a recommender's maps cannot be kept.
@Suite struct WarmStartFormatsTests {
    static func texts(_ lines: [String], _ name: String, in dir: URL) throws -> String {
        try write(lines.joined(separator: "\n") + "\n", to: name, in: dir)
    }

    static func reviews(count: Int, words: [String]) -> [String] {
        (0..<count).map { i in
            let w = words[i % words.count]
            return i % 2 == 0 ? "neg\t\(w) was bad and dull" : "pos\t\(w) was good and fun"
        }
    }

    static func trainText(_ dir: URL, _ name: String, data: String, arguments: [String] = [], expect status: Int32 = 0) throws -> (URL, CLIResult) {
        let run = dir.appendingPathComponent(name)
        let config = try write("""
            seed: 0
            data: {train: \(data), tokenizer: {max_length: 8}, test_split: 0.2, validation_split: 0.1}
            model: {kind: text, encoder: bag, embedding_dim: 8, hidden: [8]}
            training: {epochs: 2, batch_size: 16, optimizer: {name: adam, lr: 0.01}, progress: silent}
            output: \(run.path)
            """, to: "\(name).yaml", in: dir)
        let result = trainkit(["train", config] + arguments)
        #expect(result.status == status, "\(result.diagnostics)")
        return (run, result)
    }

    @Test func textWarmStartKeepsTheVocabularyAndWarnsOnUnknownWords() throws {
        let dir = try temporaryDirectory()
        let source = try Self.texts(Self.reviews(count: 120, words: ["movie", "plot", "cast"]), "source.txt", in: dir)
        let (sourceRun, _) = try Self.trainText(dir, "source", data: source)
        let sourceText = try #require(try ModelArtifact.load(sourceRun.path).artifact.preprocessing.text)

        // New texts about other things: most words are new, so the kept vocabulary reads them as unknown.
        let new = try Self.texts(Self.reviews(count: 80, words: ["opera", "ballet", "concert"]).map {
            $0.replacingOccurrences(of: "was", with: "seemed").replacingOccurrences(of: "and", with: "yet")
        }, "new.txt", in: dir)
        let (warm, result) = try Self.trainText(dir, "warm", data: new, arguments: ["--init-from", sourceRun.path])
        #expect(result.diagnostics.contains("outside the --init-from model's vocabulary"), "\(result.diagnostics)")
        let warmText = try #require(try ModelArtifact.load(warm.path).artifact.preprocessing.text)
        #expect(warmText.vocabulary == sourceText.vocabulary)
        // A class the source does not know is a data error naming it.
        let neutral = try Self.texts(Self.reviews(count: 40, words: ["movie"]) + ["neutral\tmovie was fine"], "neutral.txt", in: dir)
        let (_, newClass) = try Self.trainText(dir, "neutral", data: neutral, arguments: ["--init-from", sourceRun.path], expect: 3)
        #expect(newClass.diagnostics.contains("neutral"), "\(newClass.diagnostics)")
    }

    @Test func imageWarmStartKeepsTheNormalizationAndRefusesOtherSizes() throws {
        let dir = try temporaryDirectory()
        let first = dir.appendingPathComponent("first"), second = dir.appendingPathComponent("second")
        for folder in [first, second] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try writeHalvesIDX(64, prefix: "train", seed: 0, in: first)
        try writeHalvesIDX(48, prefix: "train", seed: 1, blankTopRow: true, in: second)
        func config(_ name: String, data: URL) throws -> String {
            try write("""
                seed: 0
                data: {train: \(data.path), test_split: 0.25, validation_split: 0.1}
                model: {kind: mlp, hidden: [8]}
                training: {epochs: 2, batch_size: 16, progress: silent}
                output: \(dir.appendingPathComponent(name).path)
                """, to: "\(name).yaml", in: dir)
        }
        #expect(trainkit(["train", try config("source", data: first)]).status == 0)
        let source = dir.appendingPathComponent("source")
        let warm = trainkit(["train", try config("warm", data: second), "--init-from", source.path])
        #expect(warm.status == 0, "\(warm.diagnostics)")
        let kept = try ModelArtifact.load(dir.appendingPathComponent("warm").path).artifact.preprocessing.images
        let original = try ModelArtifact.load(source.path).artifact.preprocessing.images
        #expect(kept?.normalization == original?.normalization && kept?.normalization != nil)
        let cold = trainkit(["train", try config("cold", data: second)])
        #expect(cold.status == 0)
        #expect(try ModelArtifact.load(dir.appendingPathComponent("cold").path).artifact.preprocessing.images?.normalization
                != original?.normalization)
    }

    @Test func aRecommenderOrAnotherFormatCannotKeepTheSourcePreprocessing() throws {
        let dir = try temporaryDirectory()
        let (source, _) = try WarmStartTests.train(dir, "source", epochs: 1)
        let texts = try Self.texts(Self.reviews(count: 40, words: ["movie"]), "t.txt", in: dir)
        let (_, other) = try Self.trainText(dir, "other", data: texts, arguments: ["--init-from", source.path], expect: 2)
        #expect(other.diagnostics.contains("the source reads csv data, the config text"), "\(other.diagnostics)")
    }
}
