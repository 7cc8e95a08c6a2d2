/// Adds the finished episode's statistics to the `info` of its last step (Gymnasium's `RecordEpisodeStatistics`):
/// `info["episode.r"]` the undiscounted return, `info["episode.l"]` the length. `returns` and `lengths` keep the last
/// `bufferLength` episodes (Gymnasium's `return_queue` and `length_queue`, 100 by default).
public struct RecordEpisodeStatistics<Base: Environment>: Environment {
    public var base: Base
    public let bufferLength: Int
    public private(set) var returns: [Double] = []
    public private(set) var lengths: [Int] = []
    var episodeReturn = 0.0
    var episodeLength = 0

    public init(_ base: Base, bufferLength: Int = 100) {
        self.base = base
        self.bufferLength = max(bufferLength, 1)
    }

    public var id: String { base.id }
    public var observationSpace: Space { base.observationSpace }
    public var actionSpace: Space { base.actionSpace }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        episodeReturn = 0
        episodeLength = 0
        return base.reset(seed: seed)
    }

    public mutating func step(_ action: Action) throws -> Step {
        var result = try base.step(action)
        episodeReturn += result.reward
        episodeLength += 1
        if result.isDone {
            result.info["episode.r"] = episodeReturn
            result.info["episode.l"] = Double(episodeLength)
            returns.append(episodeReturn)
            lengths.append(episodeLength)
            if returns.count > bufferLength {
                returns.removeFirst()
                lengths.removeFirst()
            }
        }
        return result
    }
}
