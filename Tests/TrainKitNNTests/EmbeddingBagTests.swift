import Testing
import TrainKitCore
import TrainKitNN

/// Mean of each row's non-padding embeddings, by hand: weight rows r_k = [k, 10k] (row 0 is padding).
@Test func embeddingBagAveragesTokensAndSkipsPadding() {
    let bag = EmbeddingBag(4, 2)
    bag.weight.value = Tensor([0, 0, 1, 10, 2, 20, 3, 30] as [Float], shape: [4, 2])
    // Rows: {1, 3} → [2, 20]; {2} with padding → [2, 20]; padding only → [0, 0].
    let ids = Tensor([1, 3, 0, 2, 0, 0, 0, 0, 0], shape: [3, 3])
    let y = bag(ids)
    #expect(y.shape == [3, 2])
    #expect(y.toArray() == [2, 20, 2, 20, 0, 0])
    // d Σy / d r_k = Σ_rows (count of k in the row) / n_row: r1 and r3 get 1/2 each, r2 gets 1, padding 0.
    y.sum().backward()
    #expect(bag.weight.grad!.toArray() == [0, 0, 0.5, 0.5, 1, 1, 0.5, 0.5])
}

@Test func embeddingBagStartsWithAZeroPaddingRow() {
    let bag = EmbeddingBag(5, 3)
    #expect(bag.weight.value.narrow(0, start: 0, length: 1).toArray() == [0, 0, 0])
    #expect(bag.weight.value.narrow(0, start: 1, length: 4).abs().sum().item() > 0)
}
