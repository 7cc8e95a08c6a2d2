import TrainKit

/// Checks that the columns a config names exist in a file: a missing one is a config error naming the key,
/// the file and the nearest column (the file is fine; the config names the wrong column).
enum ColumnCheck {
    static func require(_ names: [String], key: String, in table: DataTable) throws {
        for name in names where table[name] == nil {
            let hint = nearest(name, among: table.columnNames).map { "did you mean '\($0)'? " } ?? ""
            throw ConfigError.invalidValue(
                path: key, reason: "\(table.source) has no column '\(name)'; \(hint)(columns: \(ColumnNameList.describe(table.columnNames)))",
                location: nil)
        }
    }
}
