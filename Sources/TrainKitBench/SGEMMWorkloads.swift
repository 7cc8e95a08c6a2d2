import CTrainKitKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// W7: `C = A · B` for n x n float32 matrices, A and B ~ N(0, 1) (seeded), C preallocated, alpha 1, beta 0,
/// no transposes; metric GFLOP/s = 2n³ / seconds per call.
///
/// `sgemm_<n>` goes through `tk_sgemm` (the built-in packed kernel, or the BLAS under `TRAINKIT_SGEMM=blas`);
/// `sgemm_blas_<n>` calls the loaded BLAS directly (skipped without one), so both paths are reported from one run.
enum SGEMMWorkloads {
    static let sizes = [256, 1024, 2048]

    static var all: [Workload] {
        sizes.map { workload(n: $0, viaBLAS: false) } + sizes.map { workload(n: $0, viaBLAS: true) }
    }

    /// What `tk_sgemm` runs float32 products on: the loaded BLAS under `TRAINKIT_SGEMM=blas`, else the built-in
    /// kernel (e.g. "builtin avx512 8x32").
    static var sgemmPath: String {
        tk_sgemm_uses_blas() != 0 ? String(cString: tk_blas_name())
            : "builtin " + String(cString: tk_sgemm_builtin_kernel_name())
    }

    static func workload(n: Int, viaBLAS: Bool) -> Workload {
        Workload(
            name: viaBLAS ? "sgemm_blas_\(n)" : "sgemm_\(n)", metric: .gflops, size: ("n", n),
            unitsPerStep: 2 * Double(n) * Double(n) * Double(n) / 1e9, isTraining: false
        ) {
            let blasName = String(cString: tk_blas_name())
            if viaBLAS && blasName == "none" { return nil }
            let matrices = SquareMatrices(n: n, seed: 1234)
            let kernel = viaBLAS ? blasName : sgemmPath
            return WorkloadInstance(
                step: { _ in matrices.multiply(viaBLAS: viaBLAS) }, extra: [("kernel", .string(kernel))])
        }
    }
}

/// A, B and C, 64-byte aligned, freed with the instance.
final class SquareMatrices {
    let n: Int
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>

    init(n: Int, seed: UInt64) {
        self.n = n
        func allocate() -> UnsafeMutablePointer<Float> {
            UnsafeMutableRawPointer.allocate(byteCount: n * n * MemoryLayout<Float>.stride, alignment: 64)
                .bindMemory(to: Float.self, capacity: n * n)
        }
        (a, b, c) = (allocate(), allocate(), allocate())
        var normal = NormalSource(seed: seed)
        for i in 0..<(n * n) { a[i] = normal.next() }
        for i in 0..<(n * n) { b[i] = normal.next() }
        c.initialize(repeating: 0, count: n * n)
    }

    deinit {
        for p in [a, b, c] { UnsafeMutableRawPointer(p).deallocate() }
    }

    func multiply(viaBLAS: Bool) {
        let n = Int64(n)
        if viaBLAS {
            _ = tk_sgemm_blas(0, 0, n, n, n, 1, a, n, b, n, 0, c, n)
        } else {
            tk_sgemm(0, 0, n, n, n, 1, a, n, b, n, 0, c, n)
        }
    }
}

/// Standard normal float32 numbers: SplitMix64 bits through the Box-Muller transform.
struct NormalSource {
    var state: UInt64
    var spare: Float?

    init(seed: UInt64) { state = seed }

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992  // (0, 1)
    }

    mutating func next() -> Float {
        if let s = spare {
            spare = nil
            return s
        }
        let r = (-2 * log(uniform())).squareRoot(), theta = 2 * Double.pi * uniform()
        spare = Float(r * sin(theta))
        return Float(r * cos(theta))
    }
}
