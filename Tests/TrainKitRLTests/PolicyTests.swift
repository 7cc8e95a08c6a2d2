import Foundation
import Testing
import TrainKitCore
import TrainKitNN
@testable import TrainKitRL

@Suite struct ActorCriticPolicyTests {
    @Test func parameterNamesAreSB3s() {
        let policy = ActorCriticPolicy(observationDimension: 4, actionKind: .categorical(2), key: RandomKey(seed: 0))
        #expect(Set(policy.stateDict().keys) == [
            "mlp_extractor.policy_net.0.weight", "mlp_extractor.policy_net.0.bias",
            "mlp_extractor.policy_net.2.weight", "mlp_extractor.policy_net.2.bias",
            "mlp_extractor.value_net.0.weight", "mlp_extractor.value_net.0.bias",
            "mlp_extractor.value_net.2.weight", "mlp_extractor.value_net.2.bias",
            "action_net.weight", "action_net.bias", "value_net.weight", "value_net.bias",
        ])
        let gaussian = ActorCriticPolicy(observationDimension: 3, actionKind: .gaussian(1), key: RandomKey(seed: 0))
        #expect(gaussian.stateDict()["log_std"]?.shape == [1])
    }

    @Test func orthogonalInitHasSB3sGainsAndZeroBiases() {
        let policy = ActorCriticPolicy(observationDimension: 4, actionKind: .categorical(2), key: RandomKey(seed: 1))
        let state = policy.stateDict()
        // W·Wᵀ = gain² · I for a wide orthogonal weight [out, in] with out <= in.
        func gram(_ w: Tensor) -> [Float] { w.mm(w.T).toArray() }
        let hidden = gram(state["mlp_extractor.policy_net.2.weight"]!)   // [64, 64]: gain √2
        for i in 0..<64 { for j in 0..<64 { #expect(abs(hidden[i * 64 + j] - (i == j ? 2 : 0)) < 1e-4) } }
        let head = gram(state["action_net.weight"]!)                     // [2, 64]: gain 0.01
        #expect(abs(head[0] - 1e-4) < 1e-8 && abs(head[1]) < 1e-8)
        let value = gram(state["value_net.weight"]!)                     // [1, 64]: gain 1
        #expect(abs(value[0] - 1) < 1e-5)
        for (name, t) in state where name.hasSuffix("bias") { #expect(t.toArray().allSatisfy { $0 == 0 }) }
    }

    @Test func shapesOfTheHeads() {
        let policy = ActorCriticPolicy(observationDimension: 3, actionKind: .gaussian(2), policyLayers: [8],
                                       valueLayers: [5, 4], key: RandomKey(seed: 2))
        let (d, v) = policy(Tensor.zeros([7, 3]))
        #expect(d.shape == [7, 2] && v.shape == [7])
    }
}
