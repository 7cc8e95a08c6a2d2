import TrainKitCore

/// Explicit-feedback ratings `(user, item, rating[, timestamp])` for recommenders, with id maps.
///
/// Features are int64 `[N, 2]`: the user's and the item's dense index (see `users` and `items`);
/// labels are the ratings as float32 `[N]`. Timestamps, when read, are kept as numbers.
///
/// ```swift
/// let ratings = try RatingsDataset(file: "restaurant-consumer/rating_final.csv",
///                                  user: "userID", item: "placeID", rating: "rating")
/// print(ratings.count, ratings.users.count, ratings.items.count)   // 1161 138 130
/// ```
public struct RatingsDataset: GatheringDataset {
    public let tensors: TensorDataset
    /// User ids by index.
    public let users: IDMap
    /// Item ids by index.
    public let items: IDMap
    /// One timestamp per rating when a timestamp column was named.
    public let timestamps: [Double]?

    /// Reads a delimited file with user, item and rating columns.
    public init(file: String, user: String, item: String, rating: String, timestamp: String? = nil,
                options: CSVOptions = CSVOptions(), users: IDMap = IDMap(), items: IDMap = IDMap(),
                unknownIDs: UnknownIDPolicy = .add) throws {
        try self.init(table: try CSVReader(options: options).read(file), user: user, item: item, rating: rating,
                      timestamp: timestamp, users: users, items: items, unknownIDs: unknownIDs)
    }

    /// - Parameters:
    ///   - users, items: maps to start from (a training set's, for a test set).
    ///   - unknownIDs: what an id missing from the given maps does: get a new index, or fail.
    public init(table: DataTable, user: String, item: String, rating: String, timestamp: String? = nil,
                users: IDMap = IDMap(), items: IDMap = IDMap(), unknownIDs: UnknownIDPolicy = .add) throws {
        let userColumn = try table.column(user).asStrings()
        let itemColumn = try table.column(item).asStrings()
        guard let ratings = try table.column(rating).numbers else {
            throw DataError.invalidFormat(file: table.source, reason: "rating column '\(rating)' is not numeric")
        }
        var users = users, items = items
        var pairs = [Int64]()
        pairs.reserveCapacity(2 * table.rowCount)
        for row in 0..<table.rowCount {
            guard let u = userColumn[row], let i = itemColumn[row], !ratings[row].isNaN else {
                throw DataError.invalidFormat(file: table.source, reason: "data row \(row + 1) lacks a user, item or rating")
            }
            for (id, kind) in [(u, "user"), (i, "item")] {
                let known = kind == "user" ? users.index(of: id) : items.index(of: id)
                if known == nil && unknownIDs == .fail {
                    throw DataError.invalidFormat(file: table.source, reason: "unknown \(kind) id \"\(id)\" in data row \(row + 1)")
                }
            }
            pairs.append(Int64(users.insert(u)))
            pairs.append(Int64(items.insert(i)))
        }
        if let timestamp {
            guard let times = try table.column(timestamp).numbers else {
                throw DataError.invalidFormat(file: table.source, reason: "timestamp column '\(timestamp)' is not numeric")
            }
            self.timestamps = times
        } else {
            self.timestamps = nil
        }
        self.users = users
        self.items = items
        tensors = TensorDataset(features: Tensor(pairs, shape: [table.rowCount, 2]),
                                labels: Tensor(ratings.map { Float($0) }, shape: [table.rowCount]))
    }

    public var count: Int { tensors.count }
    public subscript(index: Int) -> Sample { tensors[index] }
    public func gather(_ indices: [Int]) -> Batch { tensors.gather(indices) }
}

/// What a reader does with an id not in the maps it was given.
public enum UnknownIDPolicy: Sendable {
    /// Give it the next index.
    case add
    /// Throw an error naming the id and row.
    case fail
}
