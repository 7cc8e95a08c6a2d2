import Testing

@testable import TrainKitCore

// The harness of BackendParityTests: one primitive call made on the CPU backend and on the reference backend
// with the same argument bytes, and the two results compared exactly or within a stated tolerance.

/// One call's memory: read-only inputs and outputs (with their starting bytes), as host byte images.
struct ParityCall {
    var inputs: [[UInt8]]
    var outputs: [[UInt8]]

    init(inputs: [[UInt8]], outputs: [[UInt8]]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Runs `body` on `backend` with the inputs and outputs copied into its memory; returns the outputs'
    /// final bytes and `body`'s result.
    func run<R>(
        on backend: any Backend,
        _ body: (_ backend: any Backend, _ inputs: [UnsafeRawPointer], _ outputs: [UnsafeMutableRawPointer]) -> R
    )
        -> (outputs: [[UInt8]], result: R)
    {
        let ins = inputs.map { DeviceBytes($0, on: backend) }
        let outs = outputs.map { DeviceBytes($0, on: backend) }
        let result = body(backend, ins.map { UnsafeRawPointer($0.address) }, outs.map(\.address))
        return (outs.map(\.bytes), result)
    }

    /// The outputs and results of `body` on the CPU and on the reference backend.
    func onBoth<R>(
        _ body: (_ backend: any Backend, _ inputs: [UnsafeRawPointer], _ outputs: [UnsafeMutableRawPointer]) -> R
    )
        -> (cpu: (outputs: [[UInt8]], result: R), reference: (outputs: [[UInt8]], result: R))
    {
        (run(on: CPUBackend.shared, body), run(on: ReferenceBackend.shared, body))
    }
}

/// Bytes in one backend's memory, returned to it on deinit.
final class DeviceBytes {
    let backend: any Backend
    let address: UnsafeMutableRawPointer
    let count: Int

    init(_ bytes: [UInt8], on backend: any Backend) {
        self.backend = backend
        count = bytes.count
        address = backend.allocate(byteCount: count)
        bytes.withUnsafeBytes { if count > 0 { backend.copyFromHost($0.baseAddress!, address, byteCount: count) } }
    }

    /// The current bytes, copied to the host.
    var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { backend.copyToHost(address, buffer.baseAddress!, byteCount: count) }
            initialized = count
        }
    }

    deinit { backend.deallocate(address, byteCount: count) }
}

/// The byte image of `values`.
func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

/// `bytes` read as `T` values.
func values<T>(_ bytes: [UInt8], as _: T.Type) -> [T] {
    bytes.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
}

/// Float values of `dtype` (float32 or float64) as bytes.
func floatBytes(_ values: [Double], _ dtype: DType) -> [UInt8] {
    dtype == .float32 ? bytes(values.map { Float($0) }) : bytes(values)
}

/// Float bytes of `dtype` as `Double` (exact for float32).
func floatValues(_ bytes: [UInt8], _ dtype: DType) -> [Double] {
    dtype == .float32 ? values(bytes, as: Float.self).map(Double.init) : values(bytes, as: Double.self)
}

// MARK: - Comparisons

/// The allowed difference `|cpu - reference| <= atol + rtol·|reference|`.
struct Tolerance: CustomStringConvertible {
    var rtol: Double
    var atol: Double

    static let exact = Tolerance(rtol: 0, atol: 0)
    /// `n` units in the last place of `dtype` relative to the reference, plus `atol`.
    static func ulps(_ n: Double, _ dtype: DType, atol: Double = 0) -> Tolerance {
        Tolerance(rtol: n * (dtype == .float32 ? Double(Float.ulpOfOne) : .ulpOfOne), atol: atol)
    }

    var description: String { "rtol \(rtol), atol \(atol)" }
}

/// Expects every pair equal within `tolerance`: NaN only against NaN, infinities only against the same
/// infinity (so `-0` equals `0`). A failure names the worst element.
func expectClose(
    _ cpu: [Double], _ reference: [Double], _ tolerance: Tolerance, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        cpu.count == reference.count, "\(label): \(cpu.count) vs \(reference.count) elements",
        sourceLocation: sourceLocation)
    var worst: (index: Int, excess: Double)?
    for (i, (a, r)) in zip(cpu, reference).enumerated() {
        let excess: Double
        if a.isNaN || r.isNaN || a.isInfinite || r.isInfinite {
            excess = a == r || (a.isNaN && r.isNaN) ? 0 : .infinity
        } else {
            let difference = Swift.abs(a - r)
            let allowed = tolerance.atol + tolerance.rtol * Swift.abs(r)
            excess =
                difference == 0
                ? 0 : (difference <= allowed ? 0 : difference / Swift.max(allowed, .leastNonzeroMagnitude))
        }
        if excess > 0, excess > worst?.excess ?? 0 { worst = (i, excess) }
    }
    if let (i, _) = worst {
        Issue.record(
            "\(label): element \(i) of \(cpu.count): cpu \(cpu[i]), reference \(reference[i]) (\(tolerance))",
            sourceLocation: sourceLocation)
    }
}

/// Expects identical bytes; a failure names the first differing element of `elementSize` bytes.
func expectSameBytes(
    _ cpu: [UInt8], _ reference: [UInt8], elementSize: Int, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard cpu != reference else { return }
    let first =
        zip(cpu, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? Swift.min(cpu.count, reference.count)
    let e = first / elementSize
    let show = { (b: [UInt8]) in
        b.dropFirst(e * elementSize).prefix(elementSize).map(String.init).joined(separator: " ")
    }
    Issue.record(
        "\(label): element \(e) differs: cpu [\(show(cpu))], reference [\(show(reference))] (bytes)",
        sourceLocation: sourceLocation)
}

// MARK: - Inputs

/// `count` values in [-scale, scale) from `seed`, every `specialEvery`-th one replaced by the next of
/// `specials` (0 for none).
func parityValues(
    _ count: Int, seed: UInt64, scale: Double = 1, specials: [Double] = [],
    specialEvery: Int = 7
) -> [Double] {
    var numbers = TestNumbers(seed: seed)
    var out = (0..<count).map { _ in Double(numbers.next()) * scale }
    if !specials.isEmpty {
        for (k, i) in stride(from: 3, to: count, by: specialEvery).enumerated() {
            out[i] = specials[k % specials.count]
        }
    }
    return out
}

/// Values the element-wise contracts name: signed zeros, infinities, NaN, tiny and large magnitudes.
let specialValues: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1e-8, -1e-8, 30, -30, 100, -100, 1, -1, 2, -3]

/// The number of elements a strided view of `shape` reaches: `1 + Σ (shape[d] - 1)·strides[d]` (0 when empty).
func reach(_ shape: [Int], _ strides: [Int]) -> Int {
    shape.contains(0) ? 0 : 1 + zip(shape, strides).map { ($0 - 1) * $1 }.reduce(0, +)
}

/// The float dtypes every float primitive is compared in.
let floatTypes: [DType] = [.float32, .float64]
