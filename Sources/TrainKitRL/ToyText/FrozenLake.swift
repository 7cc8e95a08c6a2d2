/// Gymnasium's FrozenLake-v1: walk from the start `S` to the goal `G` over frozen cells `F` without falling into a
/// hole `H`.
///
/// The observation is the cell index `row·ncol + col` (a `discrete(nrow·ncol)` space; as a flat vector, one
/// number). Actions: 0 left, 1 down, 2 right, 3 up; a move into the border stays put. On a slippery lake the agent
/// moves in the intended direction with probability `successRate` (1/3) and in each perpendicular direction with
/// `(1 − successRate)/2`; `transitions` is Gymnasium's table `P[s][a]` of `(probability, next, reward, terminated)`
/// in its order (directions `a − 1, a, a + 1` mod 4). Reward 1 on reaching `G`, else 0; reaching `G` or `H` ends the
/// episode. `info["prob"]` is the probability of the transition taken. `FrozenLake-v1` (4×4) stops after 100
/// steps, `FrozenLake8x8-v1` after 200 (`TimeLimit`).
public struct FrozenLake: StatefulEnvironment, Sendable {
    /// One entry of `P[s][a]`.
    public struct Transition: Sendable, Equatable {
        public var probability: Double
        public var next: Int
        public var reward: Double
        public var terminated: Bool
    }

    /// Gymnasium's built-in maps.
    public static let maps: [String: [String]] = [
        "4x4": ["SFFF", "FHFH", "FFFH", "HFFG"],
        "8x8": ["SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"],
    ]

    public let map: [[Character]]
    public let isSlippery: Bool
    public let transitions: [[[Transition]]]
    public let id: String
    let rows: Int, columns: Int
    let starts: [Int]

    public var observationSpace: Space { .discrete(rows * columns) }
    public var actionSpace: Space { .discrete(4) }

    var cell = 0
    var rng: EnvironmentRandom
    var steps = 0
    var hasReset = false
    var ended = false
    var observation = [0.0]

    /// - Parameters:
    ///   - mapName: "4x4" or "8x8" (Gymnasium's maps), used when `map` is nil.
    ///   - map: rows of `S`, `F`, `H`, `G` of equal length, with at least one `S`.
    ///   - isSlippery: whether moves slip sideways.
    ///   - successRate: the probability of the intended move on a slippery lake, in `[0, 1]`.
    public init(mapName: String = "4x4", map: [String]? = nil, isSlippery: Bool = true,
                successRate: Double = 1.0 / 3.0) throws {
        guard let rowsText = map ?? Self.maps[mapName] else {
            throw EnvironmentError.invalidArgument(name: "mapName", value: mapName, expected: "4x4 or 8x8")
        }
        let grid = rowsText.map(Array.init)
        let width = grid.first?.count ?? 0
        guard width > 0, grid.allSatisfy({ $0.count == width }),
              grid.allSatisfy({ $0.allSatisfy { "SFHG".contains($0) } }), grid.joined().contains("S")
        else {
            throw EnvironmentError.invalidArgument(name: "map", value: "\(rowsText)",
                                                   expected: "equal-length rows of S, F, H, G with at least one S")
        }
        guard successRate >= 0 && successRate <= 1 else {
            throw EnvironmentError.invalidArgument(name: "successRate", value: "\(successRate)", expected: "in [0, 1]")
        }
        self.map = grid
        self.isSlippery = isSlippery
        rows = grid.count
        columns = width
        starts = grid.joined().enumerated().filter { $0.element == "S" }.map(\.offset)
        transitions = Self.table(grid, slippery: isSlippery, successRate: successRate)
        id = rows == 8 && columns == 8 && map == nil ? "FrozenLake8x8-v1" : "FrozenLake-v1"
        rng = .entropy()
    }

    /// Gymnasium's `P`: for each cell and action, the possible moves.
    static func table(_ grid: [[Character]], slippery: Bool, successRate: Double) -> [[[Transition]]] {
        let rows = grid.count, columns = grid[0].count
        let failRate = (1.0 - successRate) / 2.0
        func move(_ row: Int, _ col: Int, _ a: Int) -> Transition {
            var (r, c) = (row, col)
            switch a {
            case 0: c = max(c - 1, 0)
            case 1: r = min(r + 1, rows - 1)
            case 2: c = min(c + 1, columns - 1)
            default: r = max(r - 1, 0)
            }
            let letter = grid[r][c]
            return Transition(probability: 1, next: r * columns + c, reward: letter == "G" ? 1 : 0,
                              terminated: letter == "G" || letter == "H")
        }
        var table: [[[Transition]]] = []
        for row in 0..<rows {
            for col in 0..<columns {
                let s = row * columns + col
                table.append((0..<4).map { a -> [Transition] in
                    if grid[row][col] == "G" || grid[row][col] == "H" {
                        return [Transition(probability: 1, next: s, reward: 0, terminated: true)]
                    }
                    guard slippery else { return [move(row, col, a)] }
                    return [(a + 3) % 4, a, (a + 1) % 4].map { b in
                        var t = move(row, col, b)
                        t.probability = b == a ? successRate : failRate
                        return t
                    }
                })
            }
        }
        return table
    }

    public var state: [Double] { [Double(cell)] }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = EnvironmentRandom(seed: seed) }
        cell = starts[rng.int(below: starts.count)]
        start()
        observation[0] = Double(cell)
        return (observation, ["prob": 1])
    }

    public mutating func reset(state: [Double]) throws -> [Double] {
        guard state.count == 1, let s = Int(exactly: state[0]), s >= 0 && s < rows * columns else {
            throw EnvironmentError.badState(environment: id, expected: "one cell index in 0..<\(rows * columns)",
                                            got: state)
        }
        cell = s
        start()
        observation[0] = Double(cell)
        return observation
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a >= 0 && a < 4 else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        let options = transitions[cell][a]
        var chosen = options[options.count - 1]
        if options.count > 1 {
            // Categorical draw as Gymnasium's: the first index whose cumulative probability exceeds u.
            let u = rng.uniform()
            var cumulative = 0.0
            for t in options {
                cumulative += t.probability
                if cumulative > u { chosen = t; break }
            }
        }
        cell = chosen.next
        steps += 1
        ended = chosen.terminated
        observation[0] = Double(cell)
        return Step(observation: observation, reward: chosen.reward, terminated: ended,
                    info: ["prob": chosen.probability])
    }

    private mutating func start() {
        steps = 0
        hasReset = true
        ended = false
    }
}
