extension Tensor {
    /// A tensor holding `values` (row-major) with `shape` (default: 1-d). The dtype follows `T`
    /// (`Float` → float32, `Double` → float64, `Int32`, `Int64`, `Bool`).
    public init<T: TensorScalar>(_ values: [T], shape: [Int]? = nil, requiresGrad: Bool = false, device: Device? = nil) {
        let shape = shape ?? [values.count]
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(_:shape:): negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == values.count,
                     "Tensor(_:shape:): \(values.count) values do not fill shape \(shape)")
        self.init(uninitialized: shape, dtype: T.dtype, on: device.map(BackendRegistry.require))
        let target = address, backend = self.backend
        values.withUnsafeBytes { raw in
            if raw.count > 0 { backend.copyFromHost(raw.baseAddress!, target, byteCount: raw.count) }
        }
        if requiresGrad { self.requiresGrad = true }
    }

    /// Integer values as int64 (labels, indices).
    public init(_ values: [Int], shape: [Int]? = nil, device: Device? = nil) {
        self.init(values.map { Int64($0) }, shape: shape, device: device)
    }

    /// A 0-d tensor.
    public init(scalar: Double, dtype: DType = .float32, device: Device? = nil) {
        self = Tensor.full(scalar, shape: [], dtype: dtype, device: device)
    }

    /// A 0-d tensor on `like`'s device.
    package init(scalar: Double, dtype: DType, like: Tensor) {
        self = Tensor.full(scalar, shape: [], dtype: dtype, on: like.backend)
    }

    /// A tensor of `shape` with every element `value`, on `device` (the default device when nil).
    public static func full(_ value: Double, shape: [Int], dtype: DType = .float32, device: Device? = nil) -> Tensor {
        full(value, shape: shape, dtype: dtype, on: device.map(BackendRegistry.require))
    }

    /// `full` on `backend` (the default device's when nil).
    package static func full(_ value: Double, shape: [Int], dtype: DType, on backend: (any Backend)?,
                             longLived: Bool = false) -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: dtype, on: backend, longLived: longLived)
        let pattern: UInt64
        switch dtype {
        case .float32: pattern = UInt64(Float(value).bitPattern)
        case .float64: pattern = value.bitPattern
        case .int32: pattern = UInt64(UInt32(bitPattern: Int32(value)))
        case .int64: pattern = UInt64(bitPattern: Int64(value))
        case .bool: pattern = value != 0 ? 1 : 0
        }
        out.backend.fill(elementSize: dtype.byteSize, count: out.count, destination: out.address, pattern: pattern)
        return out
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device? = nil) -> Tensor {
        full(0, shape: shape, dtype: dtype, device: device)
    }
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device? = nil) -> Tensor {
        full(1, shape: shape, dtype: dtype, device: device)
    }
    /// Zeros of `shape` on `like`'s device.
    package static func zeros(_ shape: [Int], dtype: DType, like: Tensor) -> Tensor {
        full(0, shape: shape, dtype: dtype, on: like.backend)
    }
    /// Zeros shaped like this tensor, on its device.
    public func zerosLike() -> Tensor { .full(0, shape: shape, dtype: dtype, on: backend) }
    /// Ones shaped like this tensor, on its device.
    public func onesLike() -> Tensor { .full(1, shape: shape, dtype: dtype, on: backend) }

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
                               dtype: DType = .float32, device: Device? = nil) -> Tensor {
        let key = key ?? Random.nextKey()
        switch dtype {
        case .float32, .float64:
            let out = Tensor(uninitialized: shape, dtype: dtype, on: device.map(BackendRegistry.require))
            out.backend.randomUniform(dtype, count: out.count, key: key, low: low, high: high, out: out.address)
            return out
        case .int32, .int64, .bool:
            return uniform(shape, low: low, high: high, key: key, dtype: .float32, device: device).to(dtype)
        }
    }

    /// Normal values with `mean` and `std` (Box–Muller over the key's stream, in float64, then rounded).
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, key: RandomKey? = nil,
                              dtype: DType = .float32, device: Device? = nil) -> Tensor {
        let key = key ?? Random.nextKey()
        switch dtype {
        case .float32, .float64:
            let out = Tensor(uninitialized: shape, dtype: dtype, on: device.map(BackendRegistry.require))
            out.backend.randomNormal(dtype, count: out.count, key: key, mean: mean, std: std, out: out.address)
            return out
        case .int32, .int64, .bool:
            return normal(shape, mean: mean, std: std, key: key, dtype: .float64, device: device).to(dtype)
        }
    }

    /// 1 with probability `p`, else 0 (float unless `dtype` says otherwise).
    public static func bernoulli(_ shape: [Int], p: Double, key: RandomKey? = nil, dtype: DType = .float32) -> Tensor {
        precondition((0...1).contains(p), "bernoulli: p must be in [0, 1], got \(p)")
        return (uniform(shape, key: key, dtype: .float64) .< p).to(dtype)
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
