import Foundation
import Testing
@testable import TrainKitRL

@Suite struct FrozenLakeTests {
    /// The map and Gymnasium's transition table `P` (slippery and not) agree entry by entry, in order.
    @Test(arguments: [("FrozenLake-v1", "4x4"), ("FrozenLake8x8-v1", "8x8")])
    func transitionTableMatchesGymnasium(_ id: String, mapName: String) throws {
        let fixture = try GymnasiumFixture.named(id)
        #expect(fixture.map == FrozenLake.maps[mapName])
        for (key, slippery) in [("slippery", true), ("deterministic", false)] {
            let lake = try FrozenLake(mapName: mapName, isSlippery: slippery)
            let table = try #require(slippery ? fixture.slippery : fixture.deterministic).P
            #expect(table.count == lake.transitions.count)
            var compared = 0
            for (s, actions) in table {
                for (a, entries) in actions {
                    let ours = lake.transitions[Int(s)!][Int(a)!]
                    let theirs = entries.map {
                        FrozenLake.Transition(probability: $0[0].number, next: Int($0[1].number),
                                              reward: $0[2].number, terminated: $0[3].flag)
                    }
                    #expect(ours == theirs, "\(id) \(key) P[\(s)][\(a)]")
                    compared += theirs.count
                }
            }
            #expect(compared >= lake.transitions.count * 4)
        }
    }

    /// On the slippery lake the moves follow `P`: 1/3 intended, 1/3 to each side (a frequency test).
    @Test func slipperyMovesFollowTheTable() throws {
        var lake = try FrozenLake(mapName: "4x4", isSlippery: true)
        _ = lake.reset(seed: 5)
        var counts: [Int: Int] = [:]
        let trials = 30_000
        for _ in 0..<trials {
            _ = try lake.reset(state: [5 + 1])  // cell 6 (row 1, col 2): down goes to 10, left to 5 (H), right to 7 (H)
            let step = try lake.step(.discrete(1))
            counts[Int(step.observation[0]), default: 0] += 1
            #expect(step.info["prob"] != nil)
        }
        for cell in [5, 10, 7] {
            let share = Double(counts[cell] ?? 0) / Double(trials)
            #expect(abs(share - 1.0 / 3.0) < 0.015, "cell \(cell): \(share)")
        }
        #expect(counts.count == 3)
    }

    @Test func badMapsAreRefused() {
        #expect(throws: EnvironmentError.self) { try FrozenLake(mapName: "5x5") }
        #expect(throws: EnvironmentError.self) { try FrozenLake(map: ["SFF", "FG"]) }
        #expect(throws: EnvironmentError.self) { try FrozenLake(map: ["FFX", "FFG"]) }
        #expect(throws: EnvironmentError.self) { try Environments.make("FrozenLake-v1", options: ["is_slipery": "false"]) }
        #expect(throws: EnvironmentError.self) { try Environments.make("FrozenLake-v1", options: ["is_slippery": "maybe"]) }
    }
}
