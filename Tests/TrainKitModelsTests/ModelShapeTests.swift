import Testing
import TrainKitCore
import TrainKitNN
@testable import TrainKitModels

// The ready models as library API: each builds from its documented initializer, gives the documented output
// shape, and computes what its doc comment's formula says on hand-set weights.

@Test func matrixFactorizationComputesBiasesPlusDotProduct() {
    let model = MatrixFactorization(users: 3, items: 3, factors: 2, globalMean: 3, userBias: [0, 0.5, -0.5],
                                    itemBias: [0, 1, 0.25])
    model.userFactors.value = Tensor([0, 0, 1, 2, 3, 4] as [Float], shape: [3, 2])
    model.itemFactors.value = Tensor([0, 0, 1, 0, 0, 1] as [Float], shape: [3, 2])
    // (1,1): 3 + 0.5 + 1 + 1·1 + 2·0 = 5.5; (2,2): 3 - 0.5 + 0.25 + 4 = 6.75; (0,1): unknown user → 3 + 1 = 4.
    let y = model(Tensor([1, 1, 2, 2, 0, 1], shape: [3, 2]))
    #expect(y.shape == [3])
    #expect(y.toArray() == [5.5, 6.75, 4])
}

@Test func matrixFactorizationKeepsTheUnknownRowZero() {
    let model = MatrixFactorization(users: 4, items: 5, factors: 3, globalMean: 0, userBias: [9, 1, 2, 3])
    #expect(model.userFactors.value.narrow(0, start: 0, length: 1).toArray() == [0, 0, 0])
    #expect(model.itemFactors.value.narrow(0, start: 0, length: 1).toArray() == [0, 0, 0])
    #expect(model.userBias.value.toArray() == [0, 1, 2, 3])  // the unknown user's start value is dropped
}

@Test func neuralCollaborativeFilteringGivesOneRatingPerPair() {
    let model = NeuralCollaborativeFiltering(users: 4, items: 5, factors: 3, hidden: [8, 4], dropout: 0.1,
                                             globalMean: 2.5)
    model.isTraining = false
    let y = model(Tensor([1, 2, 3, 4, 0, 0], shape: [3, 2]))
    #expect(y.shape == [3])
    // An unknown user and item: every embedding row is zero, so the MLP sees zeros; the output is μ + f(0).
    let unknownAgain = model(Tensor([0, 0], shape: [1, 2])).item()
    #expect(abs(y.toArray()[2] - Float(unknownAgain)) < 1e-6)
}

@Test func tabularNetEmbedsCategoriesAndPassesNumbers() {
    // Identity head: the output is [x0, embedding(code + 1)] so the lookup can be read back.
    let model = TabularNet(cardinalities: [0, 2], embeddingDims: [0, 3]) { width in
        #expect(width == 4)
        return Sequential([Identity()])
    }
    model.embeddings[0].weight.value = Tensor([0, 0, 0, 1, 1, 1, 2, 2, 2] as [Float], shape: [3, 3])
    // Codes 1, 0 and -1 (unseen in training) map to rows 2, 1 and 0.
    let y = model(Tensor([7, 1, 8, 0, 9, -1] as [Float], shape: [3, 2]))
    #expect(y.toArray() == [7, 2, 2, 2, 8, 1, 1, 1, 9, 0, 0, 0])
}

@Test func textClassifierAveragesTokensBeforeTheHead() {
    let model = TextClassifier(vocabularySize: 4, embeddingDim: 2) { _ in Sequential([Identity()]) }
    model.embedding.weight.value = Tensor([0, 0, 1, 10, 2, 20, 3, 30] as [Float], shape: [4, 2])
    #expect(model(Tensor([1, 3, 0, 2, 0, 0], shape: [2, 3])).toArray() == [2, 20, 2, 20])
}

@Test(arguments: [SequenceClassifier.Encoder.lstm, .transformer])
func sequenceClassifierGivesOneRowOfLogitsPerText(encoder: SequenceClassifier.Encoder) {
    let model = SequenceClassifier(encoder: encoder, vocabularySize: 12, embeddingDim: 8, sequenceLength: 5,
                                   layers: 1, heads: 2, dropout: 0) { width in
        Sequential([Linear(width, 3)])
    }
    model.isTraining = false
    let ids = Tensor([1, 2, 3, 0, 0, 4, 5, 6, 7, 8], shape: [2, 5])
    let y = model(ids)
    #expect(y.shape == [2, 3])
    // The transformer masks padding from attention and pooling, so trailing padding leaves the logits unchanged.
    // (The LSTM's backward direction reads the trailing padding's zero embeddings first; see the doc comment.)
    guard encoder == .transformer else { return }
    let shorter = model(Tensor([1, 2, 3], shape: [1, 3]))
    let diff = (y.narrow(0, start: 0, length: 1) - shorter).abs().max().item()
    #expect(diff < 1e-5, "padding changed the logits by \(diff)")
}

@Test func residualNetHalvesResolutionPerStageAndPools() {
    let model = ResidualNet(inChannels: 3, channels: [4, 8, 16], blocksPerStage: 2) { width in
        #expect(width == 16)
        return Sequential([Linear(width, 5)])
    }
    #expect(model.stages.count == 6)
    #expect(model.stages[0].shortcut == nil && model.stages[2].shortcut != nil)
    #expect(model(Tensor.normal([2, 3, 8, 8], key: RandomKey(seed: 1))).shape == [2, 5])
}

@Test func autoencoderMirrorsTheEncoder() {
    let model = Autoencoder(inputSize: 6, hidden: [5, 4], latent: 2, dropout: 0, activation: { ReLU() })
    let x = Tensor.normal([3, 6], key: RandomKey(seed: 2))
    #expect(model.encode(x).shape == [3, 2])
    #expect(model(x).shape == [3, 6])
    let widths = model.decoder.layers.compactMap { ($0 as? Linear)?.weight.value.shape }
    #expect(widths == [[4, 2], [5, 4], [6, 5]])  // [out, in]: 2 → 4 → 5 → 6
}
