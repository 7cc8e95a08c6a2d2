import Foundation

/// `20261208-011500`: the UTC time to the second, for the names of folders a command makes
/// (`runs/NAME-retrain-TIME`, `tensorboard/cv-TIME`).
enum FolderTimestamp {
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}
