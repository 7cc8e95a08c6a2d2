import FuzzSupport
import Foundation
import TrainKit

/// The study journal as `tune` uses it when it continues a study: the input is `study.jsonl`; the study opens
/// it (replaying every line, checking the study line against its space), reads the trials and the result,
/// and runs one more trial with the TPE sampler and an ASHA pruner, which see every recorded value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let journal = FuzzScratch.write(UnsafeBufferPointer(start: data, count: size), to: "study.jsonl")
    guard let study = try? Study(
        name: "fuzz", space: space, metric: "val_loss",
        sampler: TPESampler(seed: 0, startupTrials: 2, candidates: 4), pruner: ASHAPruner(), seed: 0,
        journal: journal)
    else { return 0 }
    _ = study.problems
    _ = study.result()
    _ = study.bestConfiguration(base: ["training": ["epochs": 3]])
    let finished = study.trials.count
    _ = try? study.optimize(trials: finished + 1) { trial in
        trial.report(epoch: 0, value: 0.5)
        return ["val_loss": 0.25]
    }
    return 0
}

/// The space of the seed journals (Fuzz/make-corpus writes them).
let space = try! SearchSpace([
    "training.optimizer.lr": .logUniform(low: 1e-4, high: 1e-1),
    "model.hidden": .choice([.list([.int(16)]), .list([.int(32), .int(16)])]),
    "training.batch_size": .int(low: 16, high: 64, step: 16),
    "model.dropout": .uniform(low: 0, high: 0.5),
])

/// The executable's entry point under SwiftPM's debug renaming (see `runFuzzer`).
@_cdecl("fuzz_tune_journal_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in withInput(data, size, fuzz) }
}
