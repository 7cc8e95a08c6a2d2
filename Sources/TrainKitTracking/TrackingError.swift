import Foundation

/// A tracking problem: an event file that cannot be written or read, or an MLflow server that refused a call.
/// Training never stops for one: the callbacks report it once as a warning and go on.
public enum TrackingError: Error, CustomStringConvertible, Equatable {
    /// A TFRecord whose checksum does not match, at this byte offset of the file.
    case corruptRecord(offset: Int, reason: String)
    /// An event file or directory that could not be written.
    case file(path: String, reason: String)
    /// An MLflow call that failed: the endpoint, and the server's answer or the network error.
    case mlflow(endpoint: String, reason: String)
    /// A tracking URL that is not an http(s) URL.
    case invalidURL(String)

    public var description: String {
        switch self {
        case .corruptRecord(let offset, let reason): "event file record at byte \(offset): \(reason)"
        case .file(let path, let reason): "\(path): \(reason)"
        case .mlflow(let endpoint, let reason): "MLflow \(endpoint): \(reason)"
        case .invalidURL(let url): "'\(url)' is not an http:// or https:// URL"
        }
    }
}
