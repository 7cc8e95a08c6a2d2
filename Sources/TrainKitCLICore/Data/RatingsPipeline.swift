import Foundation
import TrainKit

/// The fitted preprocessing of explicit ratings: the user and item id maps of the training rows (index 0 is
/// kept for ids never seen in training), the rating range and how the file is read.
public struct RatingsPreprocessing: Codable, Sendable {
    public var read: TableReadOptions
    public var userColumn: String
    public var itemColumn: String
    public var ratingColumn: String
    public var users: IDMap
    public var items: IDMap
    public var globalMean: Double
    public var minRating: Double
    public var maxRating: Double

    /// Features int64 `[N, 2]`: `1 + index` of each user and item (0 when unknown); ratings `[N]` when present.
    /// - Parameter lines: the file line of each row of `table`, for messages.
    func encode(_ table: DataTable, lines: [Int]) throws -> (features: Tensor, ratings: Tensor?, names: [String]) {
        let u = try table.column(userColumn).asStrings()
        let i = try table.column(itemColumn).asStrings()
        var pairs = [Int64]()
        pairs.reserveCapacity(2 * table.rowCount)
        var names = [String]()
        for row in 0..<table.rowCount {
            guard let user = u[row], let item = i[row] else {
                let column = u[row] == nil ? userColumn : itemColumn
                throw TableRowCheck.missing(table, lines: lines, row: row, column: column,
                                            what: u[row] == nil ? "the user ('\(userColumn)')" : "the item ('\(itemColumn)')")
            }
            pairs.append(Int64(users.index(of: user).map { $0 + 1 } ?? 0))
            pairs.append(Int64(items.index(of: item).map { $0 + 1 } ?? 0))
            names.append("\(user) \(item)")
        }
        var ratings: Tensor? = nil
        if let column = table[ratingColumn] {
            guard let numbers = column.numbers else {
                throw DataError.invalidFormat(file: table.source, reason: "rating column '\(ratingColumn)' is not numeric")
            }
            if let row = numbers.firstIndex(where: \.isNaN) {
                throw TableRowCheck.missing(table, lines: lines, row: row, column: ratingColumn, what: "the rating")
            }
            try TableRowCheck.requireFinite(table, lines: lines, columns: [ratingColumn])
            ratings = Tensor(numbers.map { Float($0) }, shape: [numbers.count])
        }
        return (Tensor(pairs, shape: [table.rowCount, 2]), ratings, names)
    }

    /// The user-item pairs of a file, with its ratings when it has the rating column (it may lack it for `predict`).
    func inputs(file: String) throws -> PreparedInputs {
        let (table, lines) = try read.readWithLines(file, optional: [ratingColumn])
        let encoded = try encode(table, lines: lines)
        return PreparedInputs(features: encoded.features, labels: encoded.ratings, rowNames: encoded.names)
    }
}

/// Reads a ratings run: random test and validation splits of the rows, id maps from the training rows.
enum RatingsPipeline {
    static func prepare(_ config: RunConfig, rows: SplitPlan? = nil) throws -> PreparedData {
        let d = config.data
        var read = try TableReadOptions(config: d, file: d.train)
        let (table, lines) = try read.readWithLines(d.train)
        try TableRowCheck.requireRows(table)
        for (key, column) in [("data.user", d.user), ("data.item", d.item), ("data.rating", d.rating)] {
            try ColumnCheck.require([column], key: key, in: table)
        }
        read.columnTypes = [d.user: .string, d.item: .string, d.rating: .numeric]
        let plan = rows ?? SplitPlan(count: table.rowCount, labels: nil, testFraction: d.test == nil ? d.testSplit : 0,
                                     validationFraction: d.validationSplit, seed: config.seed)
        let trainTable = table.rows(plan.train)
        var users = IDMap(), items = IDMap()
        for id in try trainTable.column(d.user).asStrings() { if let id { _ = users.insert(id) } }
        for id in try trainTable.column(d.item).asStrings() { if let id { _ = items.insert(id) } }
        guard let ratings = try trainTable.column(d.rating).numbers, !ratings.isEmpty else {
            throw DataError.invalidFormat(file: d.train, reason: "rating column '\(d.rating)' is not numeric")
        }
        let pre = RatingsPreprocessing(read: read, userColumn: d.user, itemColumn: d.item, ratingColumn: d.rating,
                                       users: users, items: items,
                                       globalMean: ratings.reduce(0, +) / Double(ratings.count),
                                       minRating: ratings.min()!, maxRating: ratings.max()!)
        func dataset(_ part: (table: DataTable, lines: [Int])) throws -> TensorDataset {
            let (t, lines) = part
            let encoded = try pre.encode(t, lines: lines)
            guard let labels = encoded.ratings else {
                throw DataError.missingColumn(file: t.source, name: d.rating, available: t.columnNames)
            }
            return TensorDataset(features: encoded.features, labels: labels)
        }
        func part(_ rows: [Int]) -> (DataTable, [Int]) { (table.rows(rows), rows.map { lines[$0] }) }
        let testTable = try d.test.map { file -> (DataTable, [Int]) in
            let test = try read.readWithLines(file)
            try TableRowCheck.requireRows(test.table)
            return test
        } ?? (plan.test.isEmpty ? nil : part(plan.test))
        var result = PreparedData(train: try dataset(part(plan.train)),
                                  validation: plan.validation.isEmpty ? nil : try dataset(part(plan.validation)),
                                  test: try testTable.map(dataset),
                                  preprocessing: Preprocessing(format: .ratings, task: .regression, classes: nil))
        result.preprocessing.ratings = pre
        return result
    }
}
