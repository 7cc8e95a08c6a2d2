/// A two-way map between external ids (`"U1077"`, `"135085"`) and dense indices `0..<count`, in order of
/// first appearance. `Codable`, so a recommender saves the map with its embeddings.
public struct IDMap: Codable, Sendable, Equatable {
    /// `ids[i]` is the external id of index `i`.
    public private(set) var ids: [String]
    private var indexByID: [String: Int]

    public init(ids: [String] = []) {
        self.ids = []
        self.indexByID = [:]
        for id in ids { _ = insert(id) }
    }

    public var count: Int { ids.count }

    /// The index of `id`, if known.
    public func index(of id: String) -> Int? { indexByID[id] }

    /// The index of `id`, adding it when new.
    public mutating func insert(_ id: String) -> Int {
        if let i = indexByID[id] { return i }
        indexByID[id] = ids.count
        ids.append(id)
        return ids.count - 1
    }

    enum CodingKeys: String, CodingKey { case ids }

    public init(from decoder: Decoder) throws {
        self.init(ids: try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .ids))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ids, forKey: .ids)
    }
}
