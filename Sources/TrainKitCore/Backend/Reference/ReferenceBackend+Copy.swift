// Copies, fills, dtype conversion and accumulation (the twins of `tk_copy_strided`, `tk_copy_to_strided`,
// `tk_fill`, `tk_convert` and `tk_accumulate_*` in `CTrainKitKernels/elementwise.c`).

extension ReferenceBackend {
    /// `destination[b] = source[b]` for each of `byteCount` bytes.
    package func copy(byteCount: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        let s = source.assumingMemoryBound(to: UInt8.self), d = destination.assumingMemoryBound(to: UInt8.self)
        for b in 0..<byteCount { d[b] = s[b] }
    }

    /// `destination[i] = source[offset(i)]` for each row-major position `i` of `shape`, element by element.
    package func copyStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer, strides: [Int],
                             destination: UnsafeMutableRawPointer) {
        for i in 0..<shape.reduce(1, *) {
            let from = stridedOffset(i, shape: shape, strides: strides)
            (destination + i * elementSize).copyMemory(from: source + from * elementSize, byteCount: elementSize)
        }
    }

    /// `destination[offset(i)] = source[i]` for each row-major position `i` of `shape`.
    package func copyToStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer,
                               destination: UnsafeMutableRawPointer, strides: [Int]) {
        for i in 0..<shape.reduce(1, *) {
            let to = stridedOffset(i, shape: shape, strides: strides)
            (destination + to * elementSize).copyMemory(from: source + i * elementSize, byteCount: elementSize)
        }
    }

    /// Each element gets the low `elementSize` bytes of `pattern`, least significant byte first.
    package func fill(elementSize: Int, count: Int, destination: UnsafeMutableRawPointer, pattern: UInt64) {
        let bytes = destination.elements(UInt8.self)
        for i in 0..<count {
            for b in 0..<elementSize { bytes[i * elementSize + b] = UInt8(truncatingIfNeeded: pattern >> (8 * b)) }
        }
    }

    /// `destination[i] = dtype(source[i])`: float → float rounds to nearest; float → int truncates toward zero
    /// (NaN and values outside the integer's range give its minimum, as the C cast does on x86-64; the contract
    /// leaves them open); int64 → int32 keeps the low 32 bits; int → float rounds to nearest; anything → bool
    /// is `x != 0` (NaN is true); bool → number is 0 or 1 (any non-zero byte is true).
    package func convert(from: DType, to: DType, count: Int, source: UnsafeRawPointer,
                         destination: UnsafeMutableRawPointer) {
        for i in 0..<count {
            switch ReferenceScalar.load(from, source, i) {
            case .float(let v): ReferenceScalar.store(float: v, to, destination, i)
            case .integer(let v): ReferenceScalar.store(integer: v, to, destination, i)
            }
        }
    }

    /// `destination[i] += source[i]`.
    package func accumulate(_ dtype: DType, count: Int, source: UnsafeRawPointer,
                            destination: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let s = source.elements(T.self), d = destination.elements(T.self)
            for i in 0..<count { d[i] += s[i] }
        }
        withReferenceFloat(dtype, "accumulate", on: self) { run($0) }
    }
}

/// One element read for ``ReferenceBackend/convert(from:to:count:source:destination:)``: a float value (exact
/// in `Double`) or an integer value (bool as 0 or 1).
enum ReferenceScalar {
    case float(Double)
    case integer(Int64)

    static func load(_ dtype: DType, _ p: UnsafeRawPointer, _ i: Int) -> ReferenceScalar {
        switch dtype {
        case .float32: .float(Double(p.elements(Float.self)[i]))
        case .float64: .float(p.elements(Double.self)[i])
        case .int32: .integer(Int64(p.elements(Int32.self)[i]))
        case .int64: .integer(p.elements(Int64.self)[i])
        case .bool: .integer(p.elements(UInt8.self)[i] != 0 ? 1 : 0)
        }
    }

    static func store(float v: Double, _ dtype: DType, _ p: UnsafeMutableRawPointer, _ i: Int) {
        switch dtype {
        case .float32: p.elements(Float.self)[i] = Float(v)
        case .float64: p.elements(Double.self)[i] = v
        case .int32: p.elements(Int32.self)[i] = Int32(exactly: v.rounded(.towardZero)) ?? .min
        case .int64: p.elements(Int64.self)[i] = Int64(exactly: v.rounded(.towardZero)) ?? .min
        case .bool: p.elements(UInt8.self)[i] = v != 0 ? 1 : 0
        }
    }

    static func store(integer v: Int64, _ dtype: DType, _ p: UnsafeMutableRawPointer, _ i: Int) {
        switch dtype {
        case .float32: p.elements(Float.self)[i] = Float(v)
        case .float64: p.elements(Double.self)[i] = Double(v)
        case .int32: p.elements(Int32.self)[i] = Int32(truncatingIfNeeded: v)
        case .int64: p.elements(Int64.self)[i] = v
        case .bool: p.elements(UInt8.self)[i] = v != 0 ? 1 : 0
        }
    }
}
