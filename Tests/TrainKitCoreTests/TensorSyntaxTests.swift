import Testing
import TrainKitCore
import TrainKitTestSupport

/// The tensor code a PyTorch user types: subscripts, nested literals, comparison operators.
@Suite struct TensorSyntaxTests {
    /// x = torch.arange(24).reshape(2, 3, 4)
    let x = Tensor.arange(0, 24, dtype: .float32).reshape([2, 3, 4])

    @Test func integerAndRangeSubscriptsMatchPyTorch() {
        #expect(x[1].shape == [3, 4])
        #expect(x[1].toArray() == (12..<24).map(Float.init))
        #expect(x[-1, 0].toArray() == [12, 13, 14, 15])                 // x[-1, 0]
        #expect(x[0, 1..<3, 2].toArray() == [6, 10])                    // x[0, 1:3, 2]
        #expect(x[0, 1...2, 3].toArray() == [7, 11])                    // x[0, 1:3, 3]
        #expect(x[0, 1..., 0].toArray() == [4, 8])                      // x[0, 1:, 0]
        #expect(x[0, ..<1].shape == [1, 4])                             // x[0, :1]
        #expect(x[0, ...1, 0].toArray() == [0, 4])                      // x[0, :2, 0]
        #expect(x[0, -2..<(-1), 0].toArray() == [4])                    // x[0, -2:-1, 0]
        #expect(x[0, 1..<99, 0].toArray() == [4, 8])                    // slices clamp like Python
        #expect(x[0, 5..<9].shape == [0, 4])
    }

    @Test func ellipsisNewAxisAllAndStride() {
        #expect(x[..., 0].shape == [2, 3])                              // x[..., 0]
        #expect(x[..., 0].toArray() == [0, 4, 8, 12, 16, 20])
        #expect(x[1, ..., 3].toArray() == [15, 19, 23])                 // x[1, ..., 3]
        #expect(x[1, 2, ...].toArray() == [20, 21, 22, 23])             // x[1, 2, ...]
        #expect(x[...].shape == [2, 3, 4])
        #expect(x[.all, 0].shape == [2, 4])                             // x[:, 0]
        #expect(x[.newAxis, 0].shape == [1, 3, 4])                      // x[None, 0]
        #expect(x[0, .all, .newAxis].shape == [3, 1, 4])                // x[0, :, None]
        #expect(x[0, 0, .stride(nil, nil, by: 2)].toArray() == [0, 2])  // x[0, 0, ::2]
        #expect(x[1, .stride(1, nil, by: 2), .stride(0, 3, by: 2)].toArray() == [16, 18])
    }

    @Test func subscriptsAreViewsAndCarryGradients() {
        #expect(x[0, 1..<3].storage === x.storage)
        let failure = gradientCheckFailure([x.to(.float64)]) { inputs in
            let t = inputs[0]
            return t[0][..., .stride(1, nil, by: 2)] * t[0][..., .stride(0, nil, by: 2)] + t[1, .newAxis, 2].sum()
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test func nestedLiteralsFollowTorchTensorDtypes() {
        let ints = Tensor([[1, 2], [3, 4]])
        #expect(ints.shape == [2, 2])
        #expect(ints.dtype == .int64)
        #expect(ints.toArray(as: Int64.self) == [1, 2, 3, 4])
        let floats = Tensor([[1, 2.5], [3, 4]])
        #expect(floats.dtype == .float32)
        #expect(floats.toArray() == [1, 2.5, 3, 4])
        let cube: Tensor = [[[true], [false]], [[false], [true]]]
        #expect(cube.shape == [2, 2, 1])
        #expect(cube.dtype == .bool)
        let empty: Tensor = []
        #expect(empty.shape == [0])
        #expect(Tensor([1, 2, 3]).dtype == .int64)                      // the flat typed initializer still wins
    }

    @Test func comparisonOperatorsReturnBoolTensors() {
        let a = Tensor([1, 5, 3] as [Float]), b = Tensor([2, 5, 1] as [Float])
        #expect((a > b).dtype == .bool)
        #expect((a > b).toArray(as: Bool.self) == [false, false, true])
        #expect((a >= b).toArray(as: Bool.self) == [false, true, true])
        #expect((a < b).toArray(as: Bool.self) == [true, false, false])
        #expect((a <= b).toArray(as: Bool.self) == [true, true, false])
        #expect((a == b).toArray(as: Bool.self) == [false, true, false])
        #expect((a != b).toArray(as: Bool.self) == [true, false, true])
        #expect((a > 2).toArray(as: Bool.self) == [false, true, true])
        #expect((a == 2.5).toArray(as: Bool.self) == [false, false, false])
        #expect((2 < a).toArray(as: Bool.self) == [false, true, true])    // mirrors a > 2
        #expect((0.5 >= a).toArray(as: Bool.self) == [false, false, false])
        // The PyTorch accuracy idiom.
        let predictions = Tensor([0, 2, 1, 1]), labels = Tensor([0, 1, 1, 1])
        #expect((predictions == labels).to(.float32).mean().item() == 0.75)
        #expect((a > 0).all().item() == 1)
        #expect((a > 4).all().item() == 0)
        #expect((a > 4).any().item() == 1)
    }

    @Test func outOfRangeIndexStopsNamingTheDimension() async {
        let stop = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let t = Tensor.zeros([2, 3])
            _ = t[0, 3]
        }
        #if DEBUG  // -O builds stop without printing the precondition's message
            let message = String(decoding: stop?.standardErrorContent ?? [], as: UTF8.self)
            #expect(message.contains("index 3 out of range for dimension 0 of size 3"), "\(message)")
        #else
            _ = stop
        #endif
        await #expect(processExitsWith: .failure) {
            let t = Tensor.zeros([2, 3])
            _ = t[0, 0, 0]
        }
        await #expect(processExitsWith: .failure) {
            _ = Tensor([[1, 2], [3]])
        }
    }
}
