import ArgumentParser
import Foundation
import TrainKit
import TrainKitRegistry

/// The exit statuses of `trainkit`: 0 success, 1 training failure, 2 usage or config error, 3 data error.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// Training failed: a non-finite loss or gradient, a checkpoint that cannot be written or read.
    case trainingFailure = 1
    /// The command line or the config is wrong (unknown key, wrong type, missing file, bad value).
    case usage = 2
    /// A data file is malformed (a bad CSV row, a truncated IDX file, a missing column), and so is a model file
    /// (a `model.json` that is not JSON or whose spec or preprocessing is out of range, a damaged weights file).
    case dataError = 3

    /// The status an error ends the command with.
    ///
    /// | error | status |
    /// |---|---|
    /// | ``ConfigError``, argument-parsing errors, `TrainingError.invalidArgument` / `.labelMismatch` | 2 |
    /// | `SelectionError.invalidArgument` / `.invalidSpace` (a fold count, a search spec) | 2 |
    /// | `DataError` (data files; model.json and its weights, see `ModelArtifact.load`), `SafeTensorsError` | 3 |
    /// | `UnsupervisedError` (data a `kmeans`/`pca`/`gmm` cannot fit: more clusters than rows, NaN) | 3 |
    /// | `AgentError.badState` (an RL checkpoint or policy file that does not fit) 3; `.invalidHyperparameter`, `.unsupportedSpace` 2 | |
    /// | `TrainingError.nonFinite` / `.checkpoint`, ``TrainingFailure``, `SelectionError.journal`, anything else | 1 |
    public static func forError(_ error: any Error) -> ExitStatus {
        switch error {
        case is ConfigError: return .usage
        case is DataError, is SafeTensorsError, is UnsupervisedError: return .dataError
        case let agent as AgentError:
            if case .badState = agent { return .dataError }
            if case .invalidHyperparameter = agent { return .usage }
            if case .unsupportedSpace = agent { return .usage }
            return .trainingFailure
        case let training as TrainingError:
            switch training {
            case .invalidArgument, .labelMismatch: return .usage
            case .nonFinite, .checkpoint: return .trainingFailure
            }
        case let selection as SelectionError:
            if case .journal = selection { return .trainingFailure }
            return .usage
        case is TrainingFailure, is PromotionRefused, is PipelineRejected: return .trainingFailure
        case let registry as RegistryError: return RegistryModels.exitStatus(registry)
        case let warmStart as WarmStartError: return warmStart.exitStatus
        case let exit as ExitCode: return exit.rawValue == 0 ? .success : .usage
        default: return .trainingFailure
        }
    }
}
