import TrainKit

/// W6 of `shared/bench/README.md`: a matrix-factorisation recommender, batch 1024.
///
/// `prediction = Σ_k U[u,k]·I[i,k] + ub[u] + ib[i] + g`, mean squared error against ratings, Adam lr 1e-2 over
/// dense gradients (the row gathers scatter-add back into the full tables, and Adam updates every entry of
/// U [1000, 32], I [1700, 32], ub [1000], ib [1700] and g every step).
enum MatrixFactorizationWorkloads {
    static var all: [Workload] { [matfac()] }

    static func matfac() -> Workload {
        Workload(name: "matfac", metric: .samplesPerSecond, size: ("batch", 1024), unitsPerStep: 1024,
                 isTraining: true) {
            let keys = RandomKey(seed: 6).split(2)
            let initial = [Tensor.normal([1000, 32], std: 0.1, key: keys[0]), Tensor.normal([1700, 32], std: 0.1, key: keys[1]),
                           Tensor.zeros([1000]), Tensor.zeros([1700]), Tensor.zeros([])]
            let parameters = initial.map { Parameter($0.copied()) }
            var optimizer = Optimizer(Adam(lr: 1e-2), parameters: parameters)
            let batches: [(users: Tensor, items: Tensor, ratings: Tensor)] = RandomKey(seed: 1234).split(16).map { key in
                let k = key.split(3)
                var g0 = KeyedGenerator(k[0]), g1 = KeyedGenerator(k[1]), g2 = KeyedGenerator(k[2])
                return (Tensor((0..<1024).map { _ in Int64(g0.next(upperBound: UInt64(1000))) }),
                        Tensor((0..<1024).map { _ in Int64(g1.next(upperBound: UInt64(1700))) }),
                        Tensor((0..<1024).map { _ in Float(1 + g2.next(upperBound: UInt64(5))) }))
            }
            let step: (Int) -> Void = { index in
                let (u, i, r) = batches[index % batches.count]
                let (userFactors, itemFactors, userBias, itemBias, global) =
                    (parameters[0].value, parameters[1].value, parameters[2].value, parameters[3].value, parameters[4].value)
                let dot = (userFactors.indexSelect(0, u) * itemFactors.indexSelect(0, i)).sum([1])
                let prediction = dot + userBias.indexSelect(0, u) + itemBias.indexSelect(0, i) + global
                (prediction - r).square().mean().backward()
                optimizer.step()
                optimizer.zeroGrad()
            }
            let reset = {
                for (p, value) in zip(parameters, initial) { p.value = value.copied() }
                optimizer = Optimizer(Adam(lr: 1e-2), parameters: parameters)
            }
            return WorkloadInstance(step: step, reset: reset,
                                    fingerprint: { parameters.reduce(0) { $0 + $1.detachedValue.abs().sum().item() } })
        }
    }
}
