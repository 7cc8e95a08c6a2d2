/// What stops a worker from joining a study in a ``SQLStudyStore``.
public enum StudyStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The study exists in the store with another config: a worker must run the same config as the others.
    case configMismatch(study: String, store: String, stored: String, given: String)
    /// `--storage` is neither a `postgres://` URL nor `sqlite:PATH`.
    case invalidLocation(String)
    /// The database cannot be reached or opened (the server is down, a wrong password, a folder for a file).
    case unreachable(store: String, reason: String)

    public var description: String {
        switch self {
        case let .configMismatch(study, store, stored, given):
            return "study '\(study)' in \(store) was started with another config (hash \(stored.prefix(12)), this "
                + "worker's is \(given.prefix(12))): every worker of a study runs the same config and options; "
                + "name a new study (--study NAME) to search with this one"
        case let .unreachable(store, reason):
            return "\(store): cannot open the study store: \(reason)"
        case let .invalidLocation(location):
            return "--storage \(location): expected postgres://USER@HOST:PORT/DB (or postgresql://...) or sqlite:PATH"
        }
    }
}
