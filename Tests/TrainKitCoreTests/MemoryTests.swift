import Foundation
import Testing
@testable import TrainKitCore
import TrainKitTestSupport

/// Resident set size in bytes (Linux /proc; 0 elsewhere).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

@Suite struct MemoryTests {
    /// 10,000 training steps of a small MLP: the graph of each step is freed by backward(), buffers come
    /// back from the pool, so resident memory stays flat between step 1,000 and step 10,000. Runs in its own
    /// process so that tests running beside it do not change the resident size it measures. Not under a
    /// sanitizer: AddressSanitizer holds freed blocks in its quarantine and both sanitizers grow shadow memory,
    /// so resident size measures them rather than TrainKit.
    @Test(.disabled(if: Sanitizers.active, "resident size measures the sanitizer's quarantine and shadow memory"))
    func trainingLoopKeepsFlatResidentMemory() async {
        await #expect(processExitsWith: .success) {
            let (growth, loss) = MemoryTests.trainAndMeasure()
            if growth >= 2 << 20 || loss >= 0.2 {
                FileHandle.standardError.write(Data("resident memory grew by \(growth) bytes; final loss \(loss)\n".utf8))
                exit(1)
            }
        }
    }

    /// Resident growth between step 1,000 and step 10,000, and the final loss.
    static func trainAndMeasure() -> (growth: Int, loss: Double) {
        let key = RandomKey(seed: 0).split(3)
        let w1 = Parameter(Tensor.uniform([32, 16], low: -0.25, high: 0.25, key: key[0]))
        let b1 = Parameter(Tensor.zeros([32]))
        let w2 = Parameter(Tensor.uniform([4, 32], low: -0.18, high: 0.18, key: key[1]))
        let x = Tensor.uniform([64, 16], key: key[2])
        let target = Tensor.uniform([64, 4])
        var baseline = 0
        var lastLoss = 0.0
        for step in 1...10_000 {
            let h = Tensor.linear(x, weight: w1.value, bias: b1.value).relu()
            let loss = (Tensor.linear(h, weight: w2.value) - target).square().mean()
            loss.backward()
            for p in [w1, b1, w2] {
                let g = p.grad!.toArray()
                p.updateInPlace { ptr, n in for i in 0..<n { ptr[i] -= 0.01 * g[i] } }
                p.zeroGrad()
            }
            if step == 1_000 { baseline = residentBytes() }
            if step == 10_000 { lastLoss = loss.item() }
        }
        return (residentBytes() - baseline, lastLoss)
    }
}
