import Foundation
import Testing
import TrainKit

@Suite struct CrossValidationTests {
    /// 103 rows, classes of 60 / 30 / 13 (imbalanced, not divisible by the fold count).
    static let labels: [Int] = (0..<103).map { $0 < 60 ? 0 : ($0 < 90 ? 1 : 2) }
    /// 103 rows in 17 groups of uneven sizes (1...11).
    static let groups: [Int] = {
        var out: [Int] = []
        var g = 0
        while out.count < 103 {
            out += [Int](repeating: g, count: min(1 + (g * 7) % 11, 103 - out.count))
            g += 1
        }
        return out
    }()

    static func plans() -> [(String, () throws -> [CrossValidationSplit])] {
        [
            ("kfold", { try CrossValidation.splits(count: 103, folds: 5, seed: 3) }),
            ("stratified", { try CrossValidation.splits(count: 103, folds: 5, labels: labels, seed: 3) }),
            ("grouped", { try CrossValidation.splits(count: 103, folds: 4, groups: groups, seed: 3) }),
            ("repeated", { try CrossValidation.splits(count: 103, folds: 5, repeats: 3, seed: 3) }),
            ("unshuffled", { try CrossValidation.splits(count: 103, folds: 5, shuffle: false) }),
        ]
    }

    @Test func foldsPartitionTheData() throws {
        for (name, plan) in Self.plans() {
            let splits = try plan()
            for repetition in Set(splits.map(\.repetition)) {
                let round = splits.filter { $0.repetition == repetition }
                var seen = [Int](repeating: 0, count: 103)
                for s in round {
                    for i in s.validation { seen[i] += 1 }
                    #expect(
                        Set(s.train).isDisjoint(with: s.validation),
                        "\(name) fold \(s.index): train and validation overlap")
                    #expect(Set(s.train).union(s.validation) == Set(0..<103), "\(name) fold \(s.index): rows missing")
                    #expect(s.train.count + s.validation.count == 103, "\(name) fold \(s.index): duplicated rows")
                }
                #expect(
                    seen.allSatisfy { $0 == 1 },
                    "\(name) repetition \(repetition): a row is validated \(seen.max()!) or \(seen.min()!) times")
            }
        }
    }

    @Test func stratificationKeepsClassRatiosWithinOneSample() throws {
        let splits = try CrossValidation.splits(count: 103, folds: 5, labels: Self.labels, repeats: 2, seed: 11)
        let total = [0, 1, 2].map { c in Self.labels.count { $0 == c } }
        for s in splits {
            for c in 0..<3 {
                let inFold = s.validation.count { Self.labels[$0] == c }
                let expected = Double(total[c]) * Double(s.validation.count) / 103
                #expect(abs(Double(inFold) - expected) <= 1, "fold \(s.index) class \(c): \(inFold) vs \(expected)")
            }
        }
        // A plain shuffled k-fold does not promise this; check the test can tell (some fold is off by more).
        let plain = try CrossValidation.splits(count: 103, folds: 5, repeats: 4, seed: 11)
        let worst = plain.flatMap { s in
            (0..<3).map { c in
                abs(
                    Double(s.validation.count { Self.labels[$0] == c }) - Double(total[c]) * Double(s.validation.count)
                        / 103)
            }
        }.max()!
        #expect(worst > 1)
    }

    @Test func groupFoldsNeverShareAGroup() throws {
        let splits = try CrossValidation.splits(count: 103, folds: 4, groups: Self.groups, repeats: 2, seed: 5)
        let largest = Dictionary(grouping: Self.groups, by: { $0 }).values.map(\.count).max()!
        for s in splits {
            let trainGroups = Set(s.train.map { Self.groups[$0] })
            let validationGroups = Set(s.validation.map { Self.groups[$0] })
            #expect(
                trainGroups.isDisjoint(with: validationGroups),
                "fold \(s.index) shares groups \(trainGroups.intersection(validationGroups))")
        }
        for r in 0..<2 {
            let sizes = splits.filter { $0.repetition == r }.map(\.validation.count)
            #expect(sizes.max()! - sizes.min()! <= largest)
        }
        #expect(CrossValidation.groupIndices(["u7", "u3", "u7", "u9"]) == [0, 1, 0, 2])
    }

    @Test func sameSeedGivesSameFolds() throws {
        for (name, plan) in Self.plans() {
            let first = try plan()
            let second = try plan()
            #expect(first == second, "\(name)")
        }
        let a = try CrossValidation.splits(count: 103, folds: 5, seed: 1)
        let b = try CrossValidation.splits(count: 103, folds: 5, seed: 2)
        #expect(a.map(\.validation) != b.map(\.validation))
        let repeated = try CrossValidation.splits(count: 103, folds: 5, repeats: 2, seed: 1)
        #expect(Array(repeated.prefix(5)).map(\.validation) == a.map(\.validation))  // round 0 is Splits.kFold(seed:)
        #expect(repeated[0].validation != repeated[5].validation)
        #expect(Set(repeated.map(\.seed)).count == 10)
    }

    @Test func badSettingsThrowBeforeAnyWork() {
        #expect(throws: SelectionError.self) { try CrossValidation.splits(count: 10, folds: 11) }
        #expect(throws: SelectionError.self) { try CrossValidation.splits(count: 10, folds: 1) }
        #expect(throws: SelectionError.self) { try CrossValidation.splits(count: 4, folds: 3, groups: [0, 0, 1, 1]) }
        #expect(throws: SelectionError.self) {
            try CrossValidation.splits(count: 4, folds: 2, labels: [0, 1, 0, 1], groups: [0, 1, 2, 3])
        }
        #expect(throws: SelectionError.self) {
            try CrossValidation.splits(count: 10, folds: 2, repeats: 2, shuffle: false)
        }
    }

    /// Features whose scale drifts with the row index, so each fold's train part has its own mean: a scaler fitted
    /// on the whole set (or on the validation rows) would record a different mean and fail this test.
    @Test func preprocessingIsFittedOnTheTrainPartOnly() throws {
        let n = 60
        var raw: [Float] = []
        for i in 0..<n { raw += [Float(i), Float(i % 7) * 10, Float(i * i) / 100] }
        let labels: [Int64] = (0..<n).map { Int64($0 % 2) }
        let data = TensorDataset(features: Tensor(raw, shape: [n, 3]), labels: Tensor(labels, shape: [n]))
        func columnMean(_ rows: [Int], _ j: Int) -> Double {
            var sum = 0.0
            for r in rows { sum += Double(raw[r * 3 + j]) }
            return sum / Double(rows.count)
        }
        let globalMean: [Double] = (0..<3).map { columnMean(Array(0..<n), $0) }
        var checked = 0
        let _: CrossValidationResult = try CrossValidation.run(dataset: data, folds: 4, seed: 9) {
            (fold: CrossValidationFold<TensorDataset>) -> [String: Double] in
            let (train, validation, scaler) = fold.standardized()
            let trainMean: [Double] = (0..<3).map { columnMean(fold.split.train, $0) }
            for j in 0..<3 {
                #expect(
                    abs(scaler.mean[j] - trainMean[j]) < 1e-4,
                    "fold \(fold.index) feature \(j): scaler mean \(scaler.mean[j]) vs train mean \(trainMean[j])")
            }
            #expect(
                zip(scaler.mean, globalMean).contains { abs($0 - $1) > 0.1 },
                "fold \(fold.index): the scaler saw the validation rows")
            // The train part is centred; the validation part is transformed with the train statistics, not its own.
            let trainColumnMeans = train.features.mean(0).toArray(as: Double.self)
            #expect(trainColumnMeans.allSatisfy { abs($0) < 1e-4 })
            let expected = fold.split.validation.map { Double(raw[$0 * 3]) }.map {
                ($0 - scaler.mean[0]) / scaler.std[0]
            }
            let got = validation.features.select(1, 0).toArray(as: Double.self)
            #expect(zip(expected, got).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(validation.count == fold.split.validation.count && train.count == fold.split.train.count)
            checked += 1
            return ["folds_seen": 1]
        }
        #expect(checked == 4)
    }

    @Test func runTrainsAFreshModelPerFoldAndSummarizes() throws {
        let data = blobs(count: 150, seed: 4)
        func crossValidate() throws -> (CrossValidationResult, [[Float]]) {
            var firstWeights: [[Float]] = []
            let result = try CrossValidation.run(dataset: data, folds: 3, stratified: true, seed: 2) { fold in
                let model = Sequential {
                    Linear(4, 8)
                    ReLU()
                    Linear(8, 3)
                }  // initialized from the fold's stream
                firstWeights.append(model.stateDict().sorted { $0.key < $1.key }.first!.value.toArray())
                let (train, validation, _) = fold.standardized()
                let trainer = Trainer(
                    model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.05), metrics: [.accuracy],
                    seed: fold.seed, progress: .silent)
                try trainer.fit(train, epochs: 4, batchSize: 16)
                return trainer.evaluate(validation)
            }
            return (result, firstWeights)
        }
        let (result, weights) = try crossValidate()
        #expect(result.folds.count == 3)
        #expect(Set(weights.map { $0.map(\.bitPattern) }).count == 3)  // a fresh, differently seeded model per fold
        #expect(result.mean["accuracy"]! > 0.8)
        let accuracies = result.folds.map { $0["accuracy"]! }
        let mean = accuracies.reduce(0, +) / 3
        let sampleStd = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        #expect(abs(result.mean["accuracy"]! - mean) < 1e-12 && abs(result.std["accuracy"]! - sampleStd) < 1e-12)
        let (again, _) = try crossValidate()
        #expect(again == result)  // same seed, same folds, same models, same scores

        let json = try JSONSerialization.jsonObject(with: result.jsonData()) as! [String: Any]
        #expect(Set(json.keys) == ["folds", "mean", "std"])
        #expect((json["folds"] as! [[String: Any]]).count == 3)
        #expect(try JSONDecoder().decode(CrossValidationResult.self, from: result.jsonData()) == result)
    }

    @Test func summaryUsesTheSampleStandardDeviation() {
        let result = CrossValidationResult(folds: [["a": 1], ["a": 2], ["a": 6], ["a": 3, "b": 5]])
        #expect(result.mean["a"] == 3)
        #expect(abs(result.std["a"]! - (14.0 / 3).squareRoot()) < 1e-12)  // Σ(x−3)² = 4+1+9+0 = 14, n−1 = 3
        #expect(result.mean["b"] == 5 && result.std["b"] == 0)
    }
}
