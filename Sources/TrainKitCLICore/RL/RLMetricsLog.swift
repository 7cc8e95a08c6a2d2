import Foundation
import TrainKit

/// The run's learning curve, `metrics.jsonl`: one JSON object per line with `env_steps` and the numbers of that
/// point (`ep_rew_mean` over the last 100 training episodes, losses, `eval_mean_return` where evaluated).
struct RLMetricsLog {
    let url: URL

    /// Starts an empty log.
    func start() throws { try AtomicFile.write(Data(), to: url) }

    /// Keeps the lines up to `steps` (a resumed run continues the curve from its checkpoint).
    func keep(upTo steps: Int) throws {
        let kept = try read().filter { ($0["env_steps"] ?? 0) <= Double(steps) }
        try AtomicFile.write(Data(kept.map(Self.encode).joined().utf8), to: url)
    }

    mutating func append(_ line: [String: Double]) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(Self.encode(line).utf8))
    }

    func read() throws -> [[String: Double]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Double]
        }
    }

    static func encode(_ line: [String: Double]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The run's `report.md`: what was trained, the final evaluation and the learning curve's evaluations.
enum RLReport {
    static func markdown(config: RLConfig, metrics: [String: Double], curve: [[String: Double]]) -> String {
        func f(_ key: String) -> String { metrics[key].map { String(format: "%.2f", $0) } ?? "–" }
        var text = """
            # \(config.agent.name.uppercased()) on \(config.envID)

            - seed \(config.seed), \(config.nEnvs) environment(s), \(Int(metrics["env_steps"] ?? 0)) environment steps
            - training: \(f("train_seconds")) s (\(f("steps_per_second")) steps/s, evaluation not counted)
            - evaluation: mean return \(f("eval_mean_return")) ± \(f("eval_std_return")) over \(config.evaluationEpisodes) \
            \(config.deterministic ? "deterministic" : "stochastic") episodes

            """
        let points = curve.filter { $0["eval_mean_return"] != nil }
        if !points.isEmpty {
            text += "\n| env steps | eval mean return | eval std |\n|---:|---:|---:|\n"
            for p in points {
                text += String(format: "| %.0f | %.2f | %.2f |\n", p["env_steps"] ?? 0, p["eval_mean_return"] ?? 0, p["eval_std_return"] ?? 0)
            }
        }
        return text
    }
}
