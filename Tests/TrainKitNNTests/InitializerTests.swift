import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

@Test func initializersAreSeededAndScaled() {
    let key = RandomKey(seed: 11)
    #expect(Initializers.kaimingUniform([64, 32], key: key).toArray() == Initializers.kaimingUniform([64, 32], key: key).toArray())
    #expect(Initializers.normal([8], key: key).toArray() != Initializers.normal([8], key: RandomKey(seed: 12)).toArray())
    #expect(Initializers.fans([16, 4, 3, 3]) == (36, 144))

    let xavier = Initializers.xavierUniform([200, 100], key: key)
    let a = (6.0 / 300).squareRoot()
    #expect(xavier.abs().max().item() <= a && xavier.abs().max().item() > 0.95 * a)
    let he = Initializers.kaimingNormal([400, 200], mode: .fanIn, nonlinearity: .relu, key: key)
    #expect(abs(he.std().item() - (2.0 / 200).squareRoot()) < 0.005)
    let heOut = Initializers.kaimingNormal([400, 200], mode: .fanOut, nonlinearity: .relu, key: key)
    #expect(abs(heOut.std().item() - (2.0 / 400).squareRoot()) < 0.004)
    let glorot = Initializers.xavierNormal([300, 300], gain: 2, key: key)
    #expect(abs(glorot.std().item() - 2 * (2.0 / 600).squareRoot()) < 0.005)
    #expect(Initializers.zeros([3]).toArray() == [0, 0, 0] && Initializers.ones([2]).toArray() == [1, 1])
    let u = Initializers.uniform([1000], low: 2, high: 3, key: key)
    #expect(u.min().item() >= 2 && u.max().item() < 3)
    #expect(abs(Initializers.Nonlinearity.leakyRelu(5.0.squareRoot()).gain - (1.0 / 3).squareRoot()) < 1e-12)
}

@Test func orthogonalRowsOrColumnsAreOrthonormal() {
    for shape in [[4, 6], [6, 4], [3, 2, 2]] {
        let w = Initializers.orthogonal(shape, gain: 1.5, key: RandomKey(seed: 13), dtype: .float64).reshape([shape[0], -1])
        let gram = w.shape[0] <= w.shape[1] ? w.mm(w.T) : w.T.mm(w)
        let n = gram.shape[0]
        #expect(closenessFailure(gram, Tensor.eye(n, dtype: .float64) * 2.25, rtol: 0, atol: 1e-10) == nil, "\(shape)")
    }
}
