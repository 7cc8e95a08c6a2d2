import Testing
import TrainKitCore
@testable import TrainKitData

/// features row i = [i, 10 i + 1, 100 i + 2]... as float32; label i = i % 3.
func makeTensorDataset(_ n: Int, width: Int = 3) -> TensorDataset {
    let features = (0..<n).flatMap { i in (0..<width).map { j in Float(i * 10 + j) } }
    return TensorDataset(features: Tensor(features, shape: [n, width]), labels: Tensor((0..<n).map { $0 % 3 }))
}

@Test func tensorDatasetIndexesRows() {
    let data = makeTensorDataset(5)
    #expect(data.count == 5)
    #expect(data.featureShape == [3])
    #expect(data[3].features.toArray() == [30, 31, 32])
    #expect(data[4].label.item() == 1)
}

@Test func tensorDatasetGathersRowsInOrder() {
    let data = makeTensorDataset(6)
    let batch = data.gather([4, 0, 4, 2])
    #expect(batch.features.shape == [4, 3])
    #expect(batch.features.toArray() == [40, 41, 42, 0, 1, 2, 40, 41, 42, 20, 21, 22])
    #expect(batch.labels.toArray(as: Int64.self) == [1, 0, 1, 2])
    #expect(batch.count == 4)
}

@Test func gatherMatchesStackedSamples() {
    let data = makeTensorDataset(8)
    let indices = [7, 1, 3]
    let gathered = data.batch(at: indices)
    let stacked = Batch.collate(indices.map { data[$0] })
    #expect(gathered.features.toArray() == stacked.features.toArray())
    #expect(gathered.labels.toArray(as: Int64.self) == stacked.labels.toArray(as: Int64.self))
}

@Test func subsetMapsIndicesAndGathers() {
    let data = makeTensorDataset(10)
    let subset = data.subset([9, 2, 5])
    #expect(subset.count == 3)
    #expect(subset[1].features.toArray() == [20, 21, 22])
    #expect(subset.gather([2, 0]).features.toArray() == [50, 51, 52, 90, 91, 92])
    #expect(subset.subset([1]).batch(at: [0]).features.toArray() == [20, 21, 22])
}

@Test func mappedDatasetTransformsOnRead() {
    let data = makeTensorDataset(4).map { Sample(features: $0.features * 2, label: $0.label) }
    #expect(data.count == 4)
    #expect(data[1].features.toArray() == [20, 22, 24])
    #expect(data.batch(at: [1, 0]).features.toArray() == [20, 22, 24, 0, 2, 4])
}

@Test func concatenatedDatasetSpansParts() {
    let a = makeTensorDataset(3)
    let b = TensorDataset(features: Tensor.full(-1, shape: [2, 3]), labels: Tensor([7, 8]))
    let empty = TensorDataset(features: Tensor.zeros([0, 3]), labels: Tensor([Int](), shape: [0]))
    let joined = ConcatenatedDataset([a, empty, b])
    #expect(joined.count == 5)
    #expect(joined[3].label.item() == 7)
    #expect(joined[2].features.toArray() == [20, 21, 22])
    let batch = joined.gather([4, 0, 3, 2])
    #expect(batch.labels.toArray(as: Int64.self) == [8, 0, 7, 2])
    #expect(batch.features.toArray() == [-1, -1, -1, 0, 1, 2, -1, -1, -1, 20, 21, 22])
    #expect(joined.gather([1]).features.toArray() == [10, 11, 12])
}

@Test func splitIsSeededDisjointAndComplete() {
    let data = makeTensorDataset(100)
    let (train, validation) = data.split(fraction: 0.9, seed: 0)
    #expect(train.count == 90 && validation.count == 10)
    #expect(Set(train.indices).isDisjoint(with: validation.indices))
    #expect(Set(train.indices + validation.indices) == Set(0..<100))
    let (again, _) = data.split(fraction: 0.9, seed: 0)
    #expect(again.indices == train.indices)
    let (other, _) = data.split(fraction: 0.9, seed: 1)
    #expect(other.indices != train.indices)
}

@Test func stratifiedSplitOfDatasetKeepsClassShares() {
    let data = makeTensorDataset(90)  // 30 of each class
    let (train, validation) = data.stratifiedSplit(fraction: 0.8, seed: 3)
    let trainLabels = train.indices.map { $0 % 3 }
    for c in 0..<3 { #expect(trainLabels.filter { $0 == c }.count == 24) }
    #expect(validation.count == 18)
}
