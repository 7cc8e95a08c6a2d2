import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// `trainkit cv`: the JSON shape, stratified and grouped folds, and preprocessing fitted per fold.
/// Serialized: training seeds the process-wide random stream.
@Suite(.serialized) struct CrossValidateCommandTests {
    @Test func jsonHasEveryFoldWithMeanAndStd() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(
            wineConfig(epochs: 2, output: dir.appendingPathComponent("run")), to: "wine.yaml", in: dir)
        let result = trainkit(["cv", config, "--folds", "3", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        #expect(Set(object.keys) == ["folds", "mean", "std"])
        let folds = try #require(object["folds"] as? [[String: Double]])
        #expect(folds.count == 3)
        for fold in folds {
            for key in ["accuracy", "f1_macro", "loss", "epochs", "train_loss"] {
                #expect(fold[key] != nil, "missing \(key)")
            }
            #expect(fold.keys.allSatisfy { !$0.hasPrefix("test_") && !$0.hasPrefix("val_") })
        }
        let mean = try #require(object["mean"] as? [String: Double])
        let std = try #require(object["std"] as? [String: Double])
        let accuracies = folds.map { $0["accuracy"]! }
        let m = accuracies.reduce(0, +) / 3
        #expect(abs(try #require(mean["accuracy"]) - m) < 1e-12)
        let s = (accuracies.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 2).squareRoot()
        #expect(abs(try #require(std["accuracy"]) - s) < 1e-12)
        #expect(m > 0.45)  // the majority class is 42.6%; two epochs already do better
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path), "cv writes nothing")

        let text = trainkit(["cv", config, "--folds", "2", "--repeats", "2"])
        #expect(text.status == 0, "\(text.diagnostics)")
        let lines = text.output.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("fold ") }.count == 4)
        #expect(lines.last?.hasPrefix("mean ± std: accuracy ") == true)
    }

    @Test func stratifiedFoldsKeepClassSharesWithinOneRow() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try write(wineConfig(epochs: 1, output: dir.appendingPathComponent("run")), to: "wine.yaml", in: dir)
        let config = try RunConfig.load(file: path)
        let plan = try FoldPlan(config: config, folds: 5, stratified: true, repeats: 1, groupBy: nil)
        let labels = try #require(plan.labels)
        #expect(plan.splits.count == 5)
        #expect(plan.splits.flatMap(\.validation).sorted() == Array(0..<plan.count))
        for c in Set(labels) {
            let perFold = plan.splits.map { split in split.validation.count { labels[$0] == c } }
            #expect(perFold.max()! - perFold.min()! <= 1, "class \(c): \(perFold)")
        }
        for split in plan.splits {
            let rows = plan.rows(split)
            #expect(Set(rows.train).isDisjoint(with: rows.test) && Set(rows.validation).isDisjoint(with: rows.test))
            #expect(Set(rows.train + rows.validation) == Set(split.train))
        }

        let result = trainkit(["cv", path, "--folds", "3", "--stratified", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect((try jsonObject(result.output)["folds"] as? [[String: Double]])?.count == 3)

        let regression = try write(
            wineConfig(task: "regression", epochs: 1, output: dir.appendingPathComponent("run")),
            to: "reg.yaml", in: dir)
        let refused = trainkit(["cv", regression, "--stratified"])
        #expect(refused.status == 2)
        #expect(refused.diagnostics.contains("--stratified"))
        #expect(trainkit(["cv", path, "--folds", "1"]).status == 2)
    }

    @Test func groupedFoldsKeepEachUsersRatingsOnOneSide() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["uid,item,stars"]
        for u in 0..<24 {
            for i in 0..<12 where (u + i) % 3 != 0 { rows.append("u\(u),i\(i),\(1 + (u * i) % 5)") }
        }
        try write(rows.joined(separator: "\n"), to: "ratings.csv", in: dir)
        let path = try write(
            """
            data: {train: ratings.csv, user: uid, item: item, rating: stars}
            model: {kind: recommender, embedding_dim: 4}
            training: {epochs: 2, batch_size: 32, progress: silent}
            """, to: "rec.yaml", in: dir)
        let config = try RunConfig.load(file: path)
        let plan = try FoldPlan(config: config, folds: 4, stratified: false, repeats: 1, groupBy: "user")
        let users = rows.dropFirst().map { String($0.split(separator: ",")[0]) }
        for split in plan.splits {
            let rows = plan.rows(split)
            let trained = Set((rows.train + rows.validation).map { users[$0] })
            let scored = Set(rows.test.map { users[$0] })
            #expect(trained.isDisjoint(with: scored), "users on both sides: \(trained.intersection(scored))")
            #expect(!scored.isEmpty)
        }

        // `user` names the ratings' user column (data.user: uid); the column's own name works too.
        #expect(
            try FoldPlan(config: config, folds: 4, stratified: false, repeats: 1, groupBy: "uid").groups == plan.groups)
        let result = trainkit(["cv", path, "--folds", "4", "--group-by", "user", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let folds = try #require(try jsonObject(result.output)["folds"] as? [[String: Double]])
        #expect(folds.count == 4)
        #expect(folds.allSatisfy { $0["rmse"] != nil && $0["baseline_rmse"] != nil })

        let unknown = trainkit(["cv", path, "--group-by", "itme"])
        #expect(unknown.status == 2)
        #expect(unknown.diagnostics.contains("did you mean 'item'?"), "\(unknown.diagnostics)")
    }

    /// The held-out rows of each fold have a feature far outside the others; a scaler that saw them would have
    /// a mean far from the training rows' mean.
    @Test func eachFoldFitsItsPreprocessingOnItsTrainingRowsOnly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["x,label"]
        for i in 0..<60 { rows.append("\(Double(i % 10) + (i % 3 == 0 ? 1000 : 0)),\(i % 2 == 0 ? "a" : "b")") }
        try write(rows.joined(separator: "\n"), to: "data.csv", in: dir)
        let path = try write(
            """
            data: {train: data.csv, target: label, validation_split: 0.2}
            model: {kind: mlp, hidden: [4]}
            training: {epochs: 1, progress: silent}
            """, to: "data.yaml", in: dir)
        let config = try RunConfig.load(file: path)
        let x = rows.dropFirst().map { Double($0.split(separator: ",")[0])! }
        let plan = try FoldPlan(config: config, folds: 3, stratified: false, repeats: 1, groupBy: nil)
        for split in plan.splits {
            let fold = plan.rows(split)
            let data = try PreparedData.prepare(config, rows: fold)
            let scaler = try #require(data.preprocessing.table?.encoder.steps.first?.standardScaler)
            let trainMean = fold.train.map { x[$0] }.reduce(0, +) / Double(fold.train.count)
            #expect(
                abs(scaler.mean[0] - trainMean) < 1e-3,
                "fold \(split.index): scaler mean \(scaler.mean[0]), train rows \(trainMean)")
            #expect(data.train.count == fold.train.count && data.validation?.count == fold.validation.count)
            #expect(data.test?.count == fold.test.count)
        }
    }
}
