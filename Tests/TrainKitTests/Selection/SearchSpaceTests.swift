import Foundation
import Testing
import TrainKit

@Suite struct SearchSpaceTests {
    static var config: [String: Any] {
        [
            "seed": 0,
            "training": [
                "epochs": 9,
                "optimizer": [
                    "name": "adam", "lr": ["tune": "loguniform", "low": "1e-4", "high": 0.1] as [String: Any],
                ] as [String: Any],
            ] as [String: Any],
            "model": [
                "kind": "mlp",
                "hidden": ["tune": "choice", "values": [[64], [128, 64]]] as [String: Any],
                "dropout": ["tune": "uniform", "low": 0, "high": 0.5] as [String: Any],
                "width": ["tune": "int", "low": 16, "high": 256, "step": 16, "log": false] as [String: Any],
            ] as [String: Any],
        ]
    }

    @Test func extractsTheSpaceFromAConfigAndWritesValuesBack() throws {
        let (space, base) = try SearchSpace.extract(from: Self.config)
        #expect(space.paths == ["model.dropout", "model.hidden", "model.width", "training.optimizer.lr"])
        #expect(space["training.optimizer.lr"] == .logUniform(low: 1e-4, high: 0.1))
        #expect(space["model.width"] == .int(low: 16, high: 256, step: 16, log: false))
        #expect(space["model.hidden"] == .choice([.list([.int(64)]), .list([.int(128), .int(64)])]))
        #expect((base["model"] as! [String: Any])["hidden"] == nil)
        #expect((base["model"] as! [String: Any])["kind"] as? String == "mlp")

        let params: [String: ParameterValue] = [
            "model.dropout": .double(0.25), "model.hidden": .list([.int(128), .int(64)]),
            "model.width": .int(32), "training.optimizer.lr": .double(0.003),
        ]
        let filled = SearchSpace.apply(params, to: base)
        let optimizer = (filled["training"] as! [String: Any])["optimizer"] as! [String: Any]
        #expect(optimizer["lr"] as? Double == 0.003 && optimizer["name"] as? String == "adam")
        #expect((filled["model"] as! [String: Any])["hidden"] as? [Int] == [128, 64])
        #expect((filled["training"] as! [String: Any])["epochs"] as? Int == 9)
        #expect(((SearchSpace.nested(["a.b": .int(1)])["a"]) as! [String: Any])["b"] as? Int == 1)
    }

    @Test func specErrorsNameThePath() {
        func message(_ spec: [String: Any]) -> String {
            do {
                _ = try SearchSpace.extract(from: [
                    "training": ["optimizer": ["lr": spec] as [String: Any]] as [String: Any]
                ])
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(
            message(["tune": "loguniform", "low": 0, "high": 1]).hasPrefix("training.optimizer.lr: `low` must be > 0"))
        #expect(message(["tune": "uniform", "low": 2, "high": 1]).contains("low < high"))
        #expect(message(["tune": "normal", "low": 0, "high": 1]).contains("unknown `tune: normal`"))
        #expect(message(["tune": "choice", "values": []]).contains("must not be empty"))
        #expect(message(["tune": "uniform", "low": 0, "hihg": 1]).contains("needs `high`"))
        #expect(message(["tune": "int", "low": 1, "high": 4, "stride": 2]).contains("unknown key `stride`"))
        #expect(message(["tune": "int", "low": 1.5, "high": 4]).contains("must be an integer"))
    }

    @Test func spaceRoundTripsThroughJSON() throws {
        let (space, _) = try SearchSpace.extract(from: Self.config)
        let data = try JSONEncoder().encode(space)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"tune\":\"loguniform\""))
        let decodedSpace = try JSONDecoder().decode(SearchSpace.self, from: data)
        #expect(decodedSpace == space)
        // Params survive JSON with their types restored by the space (2.0 comes back as 2, then as a double).
        let params: [String: ParameterValue] = [
            "model.dropout": .double(0), "model.hidden": .list([.int(64)]),
            "model.width": .int(48), "training.optimizer.lr": .double(0.01),
        ]
        let decoded = try JSONDecoder().decode([String: ParameterValue].self, from: JSONEncoder().encode(params))
        #expect(space.normalized(decoded) == params)
        #expect(space.normalized(["model.width": .int(50)]) == nil)
    }

    @Test func gridPointsAndRandomDrawsStayInRange() {
        #expect(Distribution.uniform(low: 0, high: 1).gridPoints(3) == [.double(0), .double(0.5), .double(1)])
        let log = Distribution.logUniform(low: 1e-4, high: 1e-2).gridPoints(3).map { $0.doubleValue! }
        #expect(abs(log[1] - 1e-3) < 1e-12)
        #expect(Distribution.int(low: 1, high: 4).gridPoints(5) == [.int(1), .int(2), .int(3), .int(4)])
        #expect(Distribution.int(low: 0, high: 100, step: 10).gridPoints(3) == [.int(0), .int(50), .int(100)])
        var g = KeyedGenerator(seed: 1)
        let d = Distribution.int(low: 16, high: 256, step: 16, log: true)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let v = d.sample(using: &g).intValue!
            #expect(v >= 16 && v <= 256 && v % 16 == 0)
            seen.insert(v)
        }
        #expect(seen.count == 16)  // every value reachable, ends included
        for _ in 0..<500 {
            let x = Distribution.logUniform(low: 1e-4, high: 1e-1).sample(using: &g).doubleValue!
            #expect(x >= 1e-4 && x <= 1e-1)
        }
    }
}
