import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// The `linear` model kind: L-BFGS, ridge and softmax regression with λ chosen by cross-validation.
@Suite(.serialized) struct LinearFitTests {
    /// `n` rows of `f` features from a fixed normal stream.
    static func features(_ n: Int, _ f: Int, seed: UInt64) -> [Double] {
        Tensor.normal([n, f], key: RandomKey(seed: seed), dtype: .float64).toArray(as: Double.self)
    }

    @Test func lbfgsFindsTheRosenbrockMinimum() {
        // f(a, b) = (1 − a)² + 100 (b − a²)², minimum 0 at (1, 1).
        let f = { (v: [Double]) -> (value: Double, gradient: [Double]) in
            let (a, b) = (v[0], v[1])
            return ((1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a),
                    [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])
        }
        let x = LBFGS(maxIterations: 500, tolerance: 1e-10).minimize(f, from: [-1.2, 1])
        #expect(abs(x[0] - 1) < 1e-4 && abs(x[1] - 1) < 1e-4, "\(x)")
    }

    @Test func ridgeRecoversANoiseFreePlaneWithTheSmallestPenalty() {
        let n = 200, x = Self.features(n, 3, seed: 1)
        let y: [Double] = (0..<n).map { r in
            let a: Double = 2 * x[3 * r], b: Double = 3 * x[3 * r + 1]
            return a - b + 1
        }
        let fitted = LinearFit(seed: 0).fit(x: x, rows: n, features: 3, y: y, classes: nil)
        #expect(fitted.lambda == LinearFit.lambdas.first!)
        let w = fitted.weight[0]
        #expect(abs(w[0] - 2) < 1e-3 && abs(w[1] + 3) < 1e-3 && abs(w[2]) < 1e-3, "\(w)")
        #expect(abs(fitted.bias[0] - 1) < 1e-3)
        #expect(fitted.trainLoss < 1e-5)
    }

    @Test func ridgeMatchesTheNormalEquationsForAGivenPenalty() {
        // One feature: w = cov(x, y) / (var(x) + λ), b = ȳ − w x̄ (population moments, mean loss).
        let x: [Double] = [0, 1, 2, 3, 4], y: [Double] = [1, 3, 2, 5, 4]
        let problem = LinearFit.Problem(x: x, n: 5, f: 1, y: y, classes: nil)
        let theta = problem.solve(rows: Array(0..<5), lambda: 0.5, start: nil)
        let w = 1.6 / (2 + 0.5)  // cov = 1.6, var = 2
        #expect(abs(theta[0] - w) < 1e-8 && abs(theta[1] - (3 - w * 2)) < 1e-8, "\(theta)")
    }

    @Test func crossValidationPicksTheLargestPenaltyForNoiseLabels() {
        // Labels unrelated to the features: every weight only overfits, so the strongest λ scores best.
        let n = 300, x = Self.features(n, 10, seed: 2)
        let noise = Tensor.permutation(n, key: RandomKey(seed: 3)).map { Double($0 % 2) }
        let fitted = LinearFit(seed: 0).fit(x: x, rows: n, features: 10, y: noise, classes: 2)
        #expect(fitted.lambda >= 1, "λ \(fitted.lambda), scores \(fitted.scores)")
        #expect(fitted.weight.flatMap { $0 }.map(abs).max()! < 0.05)
    }

    @Test func softmaxRegressionSeparatesThreeClassesDeterministically() {
        // Class = which of three features is largest.
        let n = 300, x = Self.features(n, 3, seed: 4)
        let y: [Double] = (0..<n).map { (r: Int) -> Double in
            let row: [Double] = Array(x[(3 * r)..<(3 * r + 3)])
            return Double(row.indices.max { (a: Int, b: Int) -> Bool in row[a] < row[b] }!)
        }
        let first = LinearFit(seed: 7).fit(x: x, rows: n, features: 3, y: y, classes: 3)
        let again = LinearFit(seed: 7).fit(x: x, rows: n, features: 3, y: y, classes: 3)
        #expect(first.weight == again.weight && first.bias == again.bias)
        var correct = 0
        for r in 0..<n {
            var logits = first.bias
            for c in 0..<3 { for j in 0..<3 { logits[c] += first.weight[c][j] * x[3 * r + j] } }
            let predicted = logits.indices.max { (a: Int, b: Int) -> Bool in logits[a] < logits[b] }
            if predicted == Int(y[r]) { correct += 1 }
        }
        #expect(Double(correct) / Double(n) > 0.95, "\(correct)/\(n)")
    }

    /// `kind: linear` through the CLI on the bundled red wine table, then evaluated from the saved model.
    @Test func linearKindTrainsSavesAndEvaluates() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(task: "regression", output: run)
            .replacingOccurrences(of: "kind: mlp", with: "kind: linear"), to: "linear.yaml", in: dir)
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("linear: ridge regression on"))
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        let rmse = try #require(metrics["test_rmse"])
        #expect(rmse > 0.5 && rmse < 0.75, "ridge on red wine: \(rmse)")  // the quality score's std is 0.81
        let evaluated = trainkit(["evaluate", run.appendingPathComponent("model").path,
                                  "--data", bundledWine, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
    }
}
