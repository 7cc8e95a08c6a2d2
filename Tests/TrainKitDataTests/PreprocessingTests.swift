import Foundation
import Testing
import TrainKitCore
@testable import TrainKitData

private func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
}

@Test func standardScalerMatchesHandComputedStatistics() throws {
    // Feature 0: 1, 2, 3 -> mean 2, population std sqrt(2/3); feature 1 constant -> std 1.
    let x = Tensor([1, 5, 2, 5, 3, 5] as [Float], shape: [3, 2])
    let scaler = StandardScaler.fit(x)
    #expect(scaler.mean == [2, 5])
    #expect(abs(scaler.std[0] - (2.0 / 3).squareRoot()) < 1e-12 && scaler.std[1] == 1)
    let y = scaler.transform(x).toArray()
    #expect(abs(y[0] + 1.2247449) < 1e-6 && y[1] == 0 && y[2] == 0)
    let back = scaler.inverseTransform(scaler.transform(x)).toArray()
    #expect(zip(back, x.toArray()).allSatisfy { abs($0 - $1) < 1e-6 })
    #expect(try roundTrip(scaler) == scaler)
}

@Test func minMaxScalerMapsTrainingRange() throws {
    let x = Tensor([0, -1, 5, 1, 10, 3] as [Float], shape: [3, 2])
    let scaler = MinMaxScaler.fit(x, range: -1...1)
    #expect(scaler.transform(x).toArray() == [-1, -1, 0, 0, 1, 1])
    #expect(scaler.transform(Tensor([20, 5] as [Float], shape: [1, 2])).toArray() == [3, 2])
    #expect(try roundTrip(scaler) == scaler)
}

@Test func categoricalEncodersAndImputer() throws {
    let oneHot = OneHotEncoder.fit(["red", "green", nil, "red"])
    #expect(oneHot.categories == ["green", "red"])
    #expect(oneHot.transform(["red", "blue", nil]).toArray() == [0, 1, 0, 0, 0, 0])
    let ordinal = OrdinalEncoder.fit(["b", "a", "b"])
    #expect(ordinal.codes(["a", "b", "z", nil]) == [0, 1, -1, -1])
    #expect(ordinal.inverseTransform([1, 7]) == ["b", nil])
    #expect(Imputer.fit([1, .nan, 3], strategy: .mean).transform([.nan, 5]) == [2, 5])
    #expect(Imputer.fit([4, 1, .nan, 3, 2], strategy: .median).numericFill == 2.5)
    #expect(Imputer.fit(["x", nil, "y", "y"]).transform([nil]) == ["y"])
    #expect(try roundTrip(oneHot) == oneHot && roundTrip(ordinal) == ordinal)
}

@Test func tabularEncoderIsFittedOnTrainingAndSerializable() throws {
    let train = DataTable(columnNames: ["age", "color"],
                          columns: [.numeric([20, .nan, 40]), .string(["red", nil, "blue"])])
    let encoder = TabularEncoder.fit(train)
    #expect(encoder.outputNames == ["age", "color=blue", "color=red"])
    // age imputed with 30 then standardized (mean 30, std sqrt(200/3)); color imputed with "blue" (tie -> smallest).
    let x = try encoder.transform(train).toArray()
    let s = Float((200.0 / 3).squareRoot())
    #expect(abs(x[0] + 10 / s) < 1e-6 && x[3] == 0 && abs(x[6] - 10 / s) < 1e-6)
    #expect(Array(x[1...2]) == [0, 1] && Array(x[4...5]) == [1, 0] && Array(x[7...8]) == [1, 0])
    let restored = try roundTrip(encoder)
    let test = DataTable(columnNames: ["color", "age"], columns: [.string(["green"]), .numeric([30])])
    #expect(try restored.transform(test).toArray() == [0, 0, 0])
    let wrong = DataTable(columnNames: ["age", "color"], columns: [.string(["x"]), .string(["red"])])
    #expect(thrownMessage { _ = try encoder.transform(wrong) }?.contains("'age' was numeric in training") == true)
    let ordinal = TabularEncoder.fit(train, numeric: .minMax, categorical: .ordinal)
    #expect(try ordinal.transform(train).toArray() == [0, 1, 0.5, 0, 1, 0])
}

// MARK: - Images

private let images = Tensor((0..<2 * 1 * 2 * 3).map(Float.init), shape: [2, 1, 2, 3])

@Test func imageNormalizationUsesChannelStatistics() throws {
    let x = Tensor([0, 2, 10, 30] as [Float], shape: [1, 2, 1, 2])
    let normalize = ImageNormalization.fit(x)
    #expect(normalize.mean == [1, 20] && normalize.std == [1, 10])
    #expect(normalize(x).toArray() == [-1, 1, -1, 1])
    #expect(try roundTrip(normalize) == normalize)
}

@Test func randomCropWithPaddingIsSeededAndShifts() {
    let crop = RandomCrop(height: 2, width: 3, padding: 1)
    let key = RandomKey(seed: 4)
    let a = crop(images, key: key).toArray()
    #expect(a == crop(images, key: key).toArray())
    #expect(crop(images, key: key).shape == [2, 1, 2, 3])
    // Every output is the image shifted by (dy, dx) in -1...1 with zero fill.
    let source = images.toArray()
    for n in 0..<2 {
        let out = Array(a[(n * 6)..<(n * 6 + 6)])
        let shifts = (-1...1).flatMap { dy in (-1...1).map { dx in (dy, dx) } }
        let matches = shifts.contains { dy, dx in
            (0..<2).allSatisfy { i in (0..<3).allSatisfy { j in
                let (r, c) = (i + dy, j + dx)
                let expected = r >= 0 && r < 2 && c >= 0 && c < 3 ? source[n * 6 + r * 3 + c] : 0
                return out[i * 3 + j] == expected
            } }
        }
        #expect(matches, "image \(n) is not a padded shift: \(out)")
    }
    let shifted = (0..<20).map { crop(images, key: RandomKey(seed: UInt64($0))).toArray() }
    #expect(Set(shifted.map { $0.description }).count > 1)
    #expect(RandomCrop(size: 2)(Tensor.zeros([1, 3, 4, 4]), key: key).shape == [1, 3, 2, 2])
}

@Test func randomHorizontalFlipMirrorsRowsPerImage() {
    #expect(RandomHorizontalFlip(p: 1)(images, key: RandomKey(seed: 0)).toArray() == [2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9])
    #expect(RandomHorizontalFlip(p: 0)(images, key: RandomKey(seed: 0)).toArray() == images.toArray())
    let many = Tensor.zeros([200, 1, 1, 2]) + Tensor([0, 1] as [Float], shape: [1, 1, 1, 2])
    let flipped = RandomHorizontalFlip()(many, key: RandomKey(seed: 1)).toArray()
    let count = stride(from: 0, to: flipped.count, by: 2).filter { flipped[$0] == 1 }.count
    #expect(count > 70 && count < 130, "about half of 200 images flip, got \(count)")
}

@Test func augmentationInALoaderIsReproducible() {
    let data = TensorDataset(features: Tensor.uniform([20, 1, 4, 4], key: RandomKey(seed: 1)), labels: Tensor(Array(0..<20)))
    let augment = ImageTransforms([RandomCrop(size: 4, padding: 2), RandomHorizontalFlip()])
    let loader = DataLoader(data, batchSize: 6, shuffle: true, seed: 3, transform: augment.batchTransform)
    let prefetched = DataLoader(data, batchSize: 6, shuffle: true, seed: 3, prefetch: 2, transform: augment.batchTransform)
    let first = loader.batches(epoch: 0).map { $0.features.toArray() }
    #expect(prefetched.batches(epoch: 0).map { $0.features.toArray() } == first)
    #expect(loader.batches(epoch: 1).map { $0.features.toArray() } != first)
}

// MARK: - Text

@Test func textSplittingKeepsWordsNumbersAndPunctuation() {
    #expect(TextSplitting.words("Don't stop, 2 go!") == ["Don't", "stop", ",", "2", "go", "!"])
    let text = "Hello  world, 42 times!\nOk"
    let chunks = TextSplitting.chunks(text)
    #expect(chunks.joined() == text)
    #expect(chunks == ["Hello", " ", " world", ",", " 42", " times", "!", "\n", "Ok"])
}

@Test func vocabularyHonoursMinimumFrequencyMaxSizeAndSpecials() throws {
    let documents = [["b", "a", "b", "c"], ["a", "b", "d"]]
    let vocabulary = Vocabulary.build(from: documents, minFrequency: 2)
    #expect(vocabulary.tokens == ["<pad>", "<unk>", "b", "a"])
    #expect(vocabulary.encode(["a", "zzz", "b"]) == [3, 1, 2])
    #expect(Vocabulary.build(from: documents, maxSize: 3).tokens == ["<pad>", "<unk>", "b"])
    #expect(try roundTrip(vocabulary) == vocabulary)
    let tokenizer = WordTokenizer.fit(["Free ENTRY now", "free entry, free!"], minFrequency: 2)
    #expect(tokenizer.vocabulary.tokens == ["<pad>", "<unk>", "free", "entry"])
    #expect(tokenizer.encode("FREE Entry today") == [2, 3, 1])
    #expect(try roundTrip(tokenizer) == tokenizer)
}

@Test func bpeLearnsFrequentPairsAndRoundTrips() throws {
    let corpus = ["low lower lowest", "low low newer newest", "wider widest low"]
    let bpe = BPETokenizer.train(on: corpus, vocabularySize: 257 + 10)
    #expect(bpe.vocabularySize <= 267 && !bpe.merges.isEmpty)
    #expect(bpe.token(257) == " l" || bpe.token(257) == "lo" || bpe.token(257) == "es" || bpe.token(257) == "ow",
            "first merge is a most frequent pair, got \(bpe.token(257))")
    #expect(bpe.encode(" low").count == 1, "a frequent word becomes one token: \(bpe.encode(" low").map(bpe.token))")
    for text in corpus + ["unseen wörds ✓ 123", ""] { #expect(bpe.decode(bpe.encode(text)) == text) }
    #expect(try roundTrip(bpe) == bpe)
    #expect(try roundTrip(bpe).encode("lowest newer") == bpe.encode("lowest newer"))
    #expect(BPETokenizer.train(on: corpus, vocabularySize: 267) == bpe, "training is deterministic")
}

@Test func paddingAndTruncation() {
    #expect(padSequences([[5, 6, 7], [8]], length: 2).toArray(as: Int64.self) == [5, 6, 8, 0])
    #expect(padSequences([[5, 6, 7], [8]], length: 2, padID: 9, truncating: .start, padding: .start)
        .toArray(as: Int64.self) == [6, 7, 9, 8])
    let data = try! TextClassificationDataset(texts: ["good film", "bad"], labelNames: ["pos", "neg"])
    let tokenizer = WordTokenizer.fit(data.texts)
    let encoded = data.encoded(with: tokenizer, length: 3)
    #expect(encoded.features.shape == [2, 3] && encoded.features.dtype == .int64)
    #expect(encoded.labels.toArray(as: Int64.self) == [1, 0])
    #expect(encoded.features.toArray(as: Int64.self)[2] == 0)
}

/// The encoder's one-pass host transform equals the scalers' and encoders' tensor transforms, bit for bit.
@Suite struct TabularEncoderHostPathTests {
    @Test func hostTransformEqualsTheTensorTransforms() throws {
        let n = 37
        let a: [Double] = (0..<n).map { (i: Int) -> Double in i % 7 == 3 ? Double.nan : Double(i) * 0.731 - 4.2 }
        let b: [Double] = (0..<n).map { (i: Int) -> Double in
            let step = Double((i * 13) % 11) / 3
            return step + 1e-3 * Double(i)
        }
        let c: [String?] = (0..<n).map { (i: Int) -> String? in i % 5 == 0 ? nil : ["x", "y", "z"][i % 3] }
        let table = DataTable(columnNames: ["a", "b", "c"], columns: [.numeric(a), .numeric(b), .string(c)])
        for (numeric, categorical) in [(TabularEncoder.NumericScaling.standardize, TabularEncoder.CategoricalEncoding.oneHot),
                                       (.minMax, .ordinal), (.none, .oneHot)] {
            let encoder = TabularEncoder.fit(table, numeric: numeric, categorical: categorical)
            var blocks: [Tensor] = []
            for step in encoder.steps {
                if step.type == .numeric {
                    var x = Tensor(step.imputer.transform(table[step.name]!.numbers!), shape: [n])
                    if let s = step.standardScaler { x = s.transform(x) }
                    if let s = step.minMaxScaler { x = s.transform(x) }
                    blocks.append(x.to(DType.float32).reshape([-1, 1]))
                } else {
                    let values = step.imputer.transform(table[step.name]!.asStrings())
                    if let oneHot = step.oneHot { blocks.append(oneHot.transform(values)) }
                    if let ordinal = step.ordinal { blocks.append(Tensor(ordinal.codes(values).map { Float($0) }, shape: [n, 1])) }
                }
            }
            let expected = Tensor.cat(blocks, dim: 1)
            let got = try encoder.transform(table)
            #expect(got.shape == expected.shape)
            #expect(got.toArray(as: Float.self).map(\.bitPattern) == expected.toArray(as: Float.self).map(\.bitPattern),
                    "\(numeric), \(categorical)")
        }
    }
}
