// Random fills, element by element from the per-element definitions of ``PhiloxFill`` (the CPU backend fills
// ranges of the same definitions).

extension ReferenceBackend {
    /// `out[i] = PhiloxFill.uniform(key, i)` in `[low, high)`, rounded to the dtype.
    package func randomUniform(_ dtype: DType, count: Int, key: RandomKey, low: Double, high: Double,
                               out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let o = out.elements(T.self)
            for i in 0..<count {
                o[i] = T(PhiloxFill.uniform(key, i, low: low, scale: high - low, float64: T.self == Double.self))
            }
        }
        withReferenceFloat(dtype, "uniform", on: self) { run($0) }
    }

    /// Elements `2j` and `2j + 1` from `PhiloxFill.normalPair(key, j)` (Box–Muller), rounded to the dtype; an
    /// odd `count` drops the last pair's second value.
    package func randomNormal(_ dtype: DType, count: Int, key: RandomKey, mean: Double, std: Double,
                              out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let o = out.elements(T.self)
            for i in 0..<count {
                let pair = PhiloxFill.normalPair(key, i / 2, mean: mean, std: std)
                o[i] = T(i % 2 == 0 ? pair.0 : pair.1)
            }
        }
        withReferenceFloat(dtype, "normal", on: self) { run($0) }
    }
}
