/// A problem with model-selection input: a search-space spec, a cross-validation setting, or a study journal
/// that cannot be used. Each message names what and where (a dotted config path, a journal file and line).
public enum SelectionError: Error, CustomStringConvertible, Equatable {
    /// A bad argument or setting (fold count, group labels, trial budget).
    case invalidArgument(String)
    /// A search-space spec that does not parse or validate, e.g. `training.optimizer.lr: low must be > 0`.
    case invalidSpace(path: String, message: String)
    /// A journal that cannot be opened, locked or does not belong to this study.
    case journal(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): return message
        case .invalidSpace(let path, let message): return "\(path): \(message)"
        case .journal(let message): return "study journal: \(message)"
        }
    }
}
