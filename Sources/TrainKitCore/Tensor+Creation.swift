import CTrainKitKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// A tensor holding `values` (row-major) with `shape` (default: 1-d). The dtype follows `T`
    /// (`Float` → float32, `Double` → float64, `Int32`, `Int64`, `Bool`).
    public init<T: TensorScalar>(_ values: [T], shape: [Int]? = nil, requiresGrad: Bool = false) {
        let shape = shape ?? [values.count]
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(_:shape:): negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == values.count,
                     "Tensor(_:shape:): \(values.count) values do not fill shape \(shape)")
        self.init(uninitialized: shape, dtype: T.dtype)
        values.withUnsafeBytes { raw in
            if raw.count > 0 { rawBase.copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
        }
        if requiresGrad { self.requiresGrad = true }
    }

    /// Integer values as int64 (labels, indices).
    public init(_ values: [Int], shape: [Int]? = nil) {
        self.init(values.map { Int64($0) }, shape: shape)
    }

    /// A 0-d tensor.
    public init(scalar: Double, dtype: DType = .float32) {
        self = Tensor.full(scalar, shape: [], dtype: dtype)
    }

    /// A tensor of `shape` with every element `value`.
    public static func full(_ value: Double, shape: [Int], dtype: DType = .float32) -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let n = Int64(out.count)
        switch dtype {
        case .float32: var v = Float(value); tk_fill(4, n, out.rawBase, &v)
        case .float64: var v = value; tk_fill(8, n, out.rawBase, &v)
        case .int32: var v = Int32(value); tk_fill(4, n, out.rawBase, &v)
        case .int64: var v = Int64(value); tk_fill(8, n, out.rawBase, &v)
        case .bool: var v: UInt8 = value != 0 ? 1 : 0; tk_fill(1, n, out.rawBase, &v)
        }
        return out
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(0, shape: shape, dtype: dtype) }
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(1, shape: shape, dtype: dtype) }
    public func zerosLike() -> Tensor { .zeros(shape, dtype: dtype) }
    public func onesLike() -> Tensor { .ones(shape, dtype: dtype) }

    /// `[start, start + step, ...)` below `end` (int64 by default, like `torch.arange` with integers).
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .int64) -> Tensor {
        precondition(step != 0, "arange: step must not be 0")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<n).map { start + Double($0) * step }, shape: [n]).to(dtype)
    }

    /// `count` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float32) -> Tensor {
        precondition(count >= 0, "linspace: count must be non-negative, got \(count)")
        if count == 1 { return Tensor([start], shape: [1]).to(dtype) }
        let step = (end - start) / Double(Swift.max(count - 1, 1))
        return Tensor((0..<count).map { i in i == count - 1 ? end : start + Double(i) * step }, shape: [count]).to(dtype)
    }

    /// The `n × m` identity (ones on the diagonal).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) -> Tensor {
        let m = m ?? n
        var values = [Double](repeating: 0, count: n * m)
        for i in 0..<Swift.min(n, m) { values[i * m + i] = 1 }
        return Tensor(values, shape: [n, m]).to(dtype)
    }
}

// MARK: - Random

extension Tensor {
    /// Uniform values in `[low, high)`; element i depends only on `(key, i)`.
    public static func uniform(_ shape: [Int], low: Double = 0, high: Double = 1, key: RandomKey? = nil,
                               dtype: DType = .float32) -> Tensor {
        let key = key ?? Random.nextKey()
        let n = shape.reduce(1, *)
        let scale = high - low
        switch dtype {
        case .float64:
            var values = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let b = key.bits(UInt64(i))
                values[i] = low + scale * RandomKey.unitDouble(b.0, b.1)
            }
            return Tensor(values, shape: shape)
        default:
            var values = [Float](repeating: 0, count: n)
            var i = 0
            while i < n {
                let b = key.bits(UInt64(i / 4))
                let words = [b.0, b.1, b.2, b.3]
                for w in words where i < n {
                    values[i] = Float(low + scale * Double(RandomKey.unitFloat(w)))
                    i += 1
                }
            }
            return Tensor(values, shape: shape).to(dtype)
        }
    }

    /// Normal values with `mean` and `std` (Box–Muller over the key's stream).
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, key: RandomKey? = nil,
                              dtype: DType = .float32) -> Tensor {
        let key = key ?? Random.nextKey()
        let n = shape.reduce(1, *)
        var values = [Double](repeating: 0, count: n)
        var i = 0
        var block: UInt64 = 0
        while i < n {
            let b = key.bits(block)
            block += 1
            let u1 = 1 - RandomKey.unitDouble(b.0, b.1)  // (0, 1]
            let u2 = RandomKey.unitDouble(b.2, b.3)
            let r = (-2 * libmLog(u1)).squareRoot()
            values[i] = mean + std * r * libmCos(2 * Double.pi * u2)
            if i + 1 < n { values[i + 1] = mean + std * r * libmSin(2 * Double.pi * u2) }
            i += 2
        }
        return Tensor(values, shape: shape).to(dtype)
    }

    /// 1 with probability `p`, else 0 (float unless `dtype` says otherwise).
    public static func bernoulli(_ shape: [Int], p: Double, key: RandomKey? = nil, dtype: DType = .float32) -> Tensor {
        precondition((0...1).contains(p), "bernoulli: p must be in [0, 1], got \(p)")
        let u = uniform(shape, key: key, dtype: .float64).toArray(as: Double.self)
        return Tensor(u.map { $0 < p ? 1.0 : 0.0 }, shape: shape).to(dtype)
    }

    /// A random permutation of `0..<n` (int64), seeded.
    public static func randperm(_ n: Int, key: RandomKey? = nil) -> Tensor {
        Tensor(permutation(n, key: key ?? Random.nextKey()).map { Int64($0) }, shape: [n])
    }

    /// A random permutation of `0..<n` (Fisher–Yates over the key's stream).
    public static func permutation(_ n: Int, key: RandomKey) -> [Int] {
        var generator = KeyedGenerator(key)
        var order = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(generator.next(upperBound: UInt64(i + 1)))
                order.swapAt(i, j)
            }
        }
        return order
    }
}

// libm at file scope: inside `extension Tensor`, `log`/`cos`/`sin` name the tensor methods.
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmCos(_ x: Double) -> Double { cos(x) }
private func libmSin(_ x: Double) -> Double { sin(x) }
