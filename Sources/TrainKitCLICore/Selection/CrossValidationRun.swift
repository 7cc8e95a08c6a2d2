import Foundation
import TrainKit

/// One `trainkit cv`: for each fold of a ``FoldPlan``, prepares the data with the preprocessing fitted on the
/// fold's training rows only, trains a fresh model as `train` would (nothing is written) and scores the
/// held-out rows.
///
/// A fold's metrics are the held-out scores without prefix (`loss`, `accuracy`, `f1_macro`; `rmse`, `mae`,
/// `r2`; recommenders add `baseline_rmse`), with `epochs` and `train_loss`. Every fold trains with the
/// config's `seed`, so folds differ by their rows only.
///
/// With `training.tensorboard`, each fold's epochs go to TensorBoard (the only files `cv` writes):
/// `OUTPUT/tensorboard/cv-YYYYMMDD-HHMMSS/fold-K/`, a new folder per `cv` so runs never mix.
struct CrossValidationRun {
    let config: RunConfig
    let plan: FoldPlan
    let io: CommandIO

    func run() throws -> CrossValidationResult {
        var folds: [[String: Double]] = []
        let quiet = CommandIO(output: { _ in }, diagnostics: { _ in })
        var foldConfig = config
        foldConfig.training.progress = "silent"
        let tensorBoardRoot = RunTracking.tensorBoardDirectory(URL(fileURLWithPath: config.output))
            .appendingPathComponent("cv-\(FolderTimestamp.now())")
        if config.training.tensorboard { io.progress("TensorBoard: \(tensorBoardRoot.path)/fold-K") }
        for split in plan.splits {
            let rows = plan.rows(split)
            let name = "fold \(split.index + 1)/\(plan.splits.count)"
            io.progress(
                "\(name): training on \(rows.train.count) rows (validation \(rows.validation.count)), scoring \(rows.test.count)"
            )
            let data = try PreparedData.prepare(foldConfig, rows: rows)
            if split.index == 0 {
                for warning in data.warnings { io.progress("warning: \(warning)") }
                if let note = data.taskNote { io.progress(note) }
            }
            let tensorBoard = RunTracking.tensorBoard(
                foldConfig, directory: tensorBoardRoot.appendingPathComponent("fold-\(split.index + 1)"), io: io)
            let result = try TrainingRun(config: foldConfig, resume: false, io: quiet, data: data,
                                         extraCallbacks: tensorBoard.map { [$0] } ?? [], persists: false).run()
            var metrics: [String: Double] = [:]
            for (key, value) in result.metrics where key.hasPrefix("test_") {
                metrics[String(key.dropFirst(5))] = value
            }
            metrics["epochs"] = result.metrics["epochs"]
            metrics["train_loss"] = result.metrics["train_loss"]
            folds.append(metrics)
        }
        return CrossValidationResult(folds: folds)
    }
}
