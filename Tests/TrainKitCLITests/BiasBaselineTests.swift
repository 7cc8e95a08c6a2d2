import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// The bias baselines of the recommender runs.
struct BiasBaselineTests {
    /// Users with real offsets and many ratings, items with none and few ratings (their means are pure noise): separate shrinkage should keep
    /// the user biases and shrink the item biases hard, and can only match or beat one shared λ on validation.
    @Test func separateRegularizationShrinksNoisyItemsHarder() {
        var pairs: [Int64] = [], ratings: [Float] = []
        var state: UInt64 = 12345
        func noise() -> Float {  // deterministic uniform in [-1, 1)
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
        }
        // 20 users with 40 ratings each, 200 items with 4 each.
        for u in 1...20 {
            for i in 1...200 where (u * 7 + i) % 5 == 0 {
                pairs += [Int64(u), Int64(i)]
                ratings.append(Float(u % 5) * 0.4 + noise())
            }
        }
        let n = ratings.count
        let all = TensorDataset(features: Tensor(pairs, shape: [n, 2]), labels: Tensor(ratings, shape: [n]))
        let train = all.rows((0..<n).filter { $0 % 5 != 0 }), validation = all.rows((0..<n).filter { $0 % 5 == 0 })
        let (one, two) = BiasBaseline.tuned(train: train, validation: validation)
        #expect(two.rmse(validation) <= one.rmse(validation) + 1e-12)
        #expect(two.itemLambda > two.lambda, "λ_user \(two.lambda), λ_item \(two.itemLambda)")
        #expect(one.lambda == one.itemLambda)
    }
}
