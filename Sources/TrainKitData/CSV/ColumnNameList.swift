/// Column names for messages: a file may have a million columns, so a message lists the first few and
/// counts the rest (`a, b, c, … and 39,981 more`).
public enum ColumnNameList {
    /// The first `limit` names, comma-separated, then how many more there are.
    public static func describe(_ names: [String], limit: Int = 20) -> String {
        let listed = names.prefix(limit).joined(separator: ", ")
        guard names.count > limit else { return listed }
        return "\(listed), … and \(grouped(names.count - limit)) more"
    }

    /// `39981` as `39,981`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}
