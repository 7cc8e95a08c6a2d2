import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// `train --init-from SOURCE --init-optimizer`: the run continues the source's optimizer state (moments and
/// step counts from model/optimizer.safetensors) with the new config's hyperparameters.
@Suite struct InitOptimizerTests {
    /// The optimizer state a run saved beside its model.
    static func savedState(_ run: URL) throws -> OptimizerStateDict {
        try #require(try OptimizerStateFile.read(besideModel: run.appendingPathComponent("model/model.json")))
    }

    /// The largest step count of any parameter.
    static func steps(_ state: OptimizerStateDict) -> Int { state.metadata.parameters.compactMap { $0?.step }.max() ?? 0 }

    @Test func initOptimizerContinuesTheSourceStateWithTheNewLearningRate() throws {
        let dir = try temporaryDirectory()
        let (source, _) = try WarmStartTests.train(dir, "source", epochs: 2)
        let sourceState = try Self.savedState(source)
        let sourceSteps = Self.steps(sourceState)
        #expect(sourceSteps > 0)
        #expect(sourceState.metadata.rule == "adam")

        let newLR = ["--set", "training.optimizer.lr=0.001"]
        let (kept, _) = try WarmStartTests.train(dir, "kept", epochs: 1,
                                                 arguments: ["--init-from", source.path, "--init-optimizer"] + newLR)
        let (fresh, _) = try WarmStartTests.train(dir, "fresh", epochs: 1, arguments: ["--init-from", source.path] + newLR)
        let keptState = try Self.savedState(kept), freshState = try Self.savedState(fresh)
        let epochSteps = Self.steps(freshState)
        #expect(epochSteps > 0 && epochSteps < sourceSteps)
        // The kept optimizer counted the source's steps first; a fresh one starts at zero.
        #expect(Self.steps(keptState) == sourceSteps + epochSteps)
        // The config's learning rate, not the source's 0.003.
        #expect(keptState.metadata.groups.first?.hyperparameters["lr"] == .number(0.001))
        // The moments moved on from the source's, not from zero: the kept first moments differ from a fresh start's.
        let key = try #require(sourceState.tensors.keys.sorted().first { $0.hasSuffix(".exp_avg_sq") })
        let keptMoment = try #require(keptState.tensors[key]).toArray(as: Double.self)
        let freshMoment = try #require(freshState.tensors[key]).toArray(as: Double.self)
        #expect(WarmStartTests.maxDifference(keptMoment, freshMoment) > 0)
        #expect(try Lineage.read(runDirectory: kept)?.optimizer == "kept")
        #expect(try Lineage.read(runDirectory: fresh)?.optimizer == nil)
    }

    @Test func initOptimizerRefusesAnotherOptimizerAMissingStateAndNoSource() throws {
        let dir = try temporaryDirectory()
        let (source, _) = try WarmStartTests.train(dir, "source", epochs: 1)
        let (_, other) = try WarmStartTests.train(
            dir, "sgd", epochs: 1, arguments: ["--init-from", source.path, "--init-optimizer", "--set", "training.optimizer.name=sgd"],
            expect: 2)
        #expect(other.diagnostics.contains("'adam'") && other.diagnostics.contains("'sgd'"), "\(other.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sgd/model").path))

        let (_, alone) = try WarmStartTests.train(dir, "alone", epochs: 1, arguments: ["--init-optimizer"], expect: 2)
        #expect(alone.diagnostics.contains("--init-optimizer needs --init-from"), "\(alone.diagnostics)")

        try FileManager.default.removeItem(at: source.appendingPathComponent("model/\(OptimizerStateFile.fileName)"))
        let (_, missing) = try WarmStartTests.train(
            dir, "missing", epochs: 1, arguments: ["--init-from", source.path, "--init-optimizer"], expect: 2)
        #expect(missing.diagnostics.contains("has no optimizer state"), "\(missing.diagnostics)")
        // Without the flag the same source still warm-starts the weights.
        _ = try WarmStartTests.train(dir, "weights", epochs: 1, arguments: ["--init-from", source.path])
    }
}
