import Testing
@testable import TrainKitData

@Test func randomSplitSizesAddUp() {
    let parts = Splits.random(count: 1001, fractions: [0.8, 0.1, 0.1], seed: 7)
    #expect(parts.map(\.count) == [801, 100, 100])
    #expect(Set(parts.flatMap { $0 }) == Set(0..<1001))
    #expect(Splits.random(count: 1001, fractions: [0.8, 0.1, 0.1], seed: 7) == parts)
    let tvt = Splits.trainValidationTest(count: 10, validation: 0.2, test: 0.2, seed: 0)
    #expect((tvt.train.count, tvt.validation.count, tvt.test.count) == (6, 2, 2))
}

@Test func stratifiedSplitKeepsEachClassShare() {
    let labels = (0..<200).map { $0 < 150 ? 0 : 1 }  // 75% / 25%
    let (first, second) = Splits.stratified(labels: labels, fraction: 0.8, seed: 1)
    #expect(first.filter { labels[$0] == 0 }.count == 120)
    #expect(first.filter { labels[$0] == 1 }.count == 40)
    #expect(second.count == 40)
    #expect(Set(first).isDisjoint(with: second))
    #expect(Splits.stratified(labels: labels, fraction: 0.8, seed: 1).first == first)
    #expect(first != first.sorted(), "classes are mixed, not grouped")
}

@Test func kFoldPartitionsIntoNearEqualFolds() {
    let folds = Splits.kFold(count: 23, k: 5, seed: 2)
    #expect(folds.count == 5)
    #expect(folds.map(\.validation.count) == [5, 5, 5, 4, 4])
    #expect(folds.flatMap(\.validation).sorted() == Array(0..<23))
    for fold in folds {
        #expect(Set(fold.train).isDisjoint(with: fold.validation))
        #expect(fold.train.count + fold.validation.count == 23)
    }
    #expect(Splits.kFold(count: 23, k: 5, seed: 2) == folds)
    #expect(Splits.kFold(count: 23, k: 5, seed: 3) != folds)
    let contiguous = Splits.kFold(count: 10, k: 2, shuffle: false)
    #expect(contiguous[0].validation == [0, 1, 2, 3, 4])
}

@Test func stratifiedKFoldBalancesClassesPerFold() {
    let labels = (0..<100).map { $0 % 10 == 0 ? 1 : 0 }  // 10 positives
    let folds = Splits.stratifiedKFold(labels: labels, k: 5, seed: 0)
    #expect(folds.flatMap(\.validation).sorted() == Array(0..<100))
    for fold in folds {
        #expect(fold.validation.count == 20)
        #expect(fold.validation.filter { labels[$0] == 1 }.count == 2)
        #expect(Set(fold.train).isDisjoint(with: fold.validation))
    }
    #expect(Splits.stratifiedKFold(labels: labels, k: 5, seed: 0) == folds)
}
