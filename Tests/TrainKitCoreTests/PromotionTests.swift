import Foundation
import Testing
@testable import TrainKitCore

/// One mixed-dtype expression with the dtype and values PyTorch gives for it (`torch.result_type` rules: the
/// higher category wins, then the wider type; a 0-d tensor joins only with a higher category; a Swift `Double`
/// is a wrapped float that never widens a float tensor; a Swift `Int` keeps the tensor's dtype, bool → int64;
/// `/` is true division).
struct PromotionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var expression: @Sendable () -> Tensor
    var dtype: DType
    var values: [Double]

    var testDescription: String { name }

    static let all: [PromotionCase] = [
        // Tensor ⊕ tensor, both dimensioned: category, then width.
        .init(name: "float32 + float64", expression: { f32([1, 2]) + f64([0.25, 0.5]) }, dtype: .float64, values: [1.25, 2.5]),
        .init(name: "int64 + float32", expression: { i64([1, 2]) + f32([0.5, 0.5]) }, dtype: .float32, values: [1.5, 2.5]),
        .init(name: "int32 + int64", expression: { i32([1, 2]) + i64([10, 20]) }, dtype: .int64, values: [11, 22]),
        .init(name: "bool + int32", expression: { bools([true, false]) + i32([1, 2]) }, dtype: .int32, values: [2, 2]),
        .init(name: "int32 * float64", expression: { i32([3, -2]) * f64([0.5, 0.25]) }, dtype: .float64, values: [1.5, -0.5]),
        .init(name: "maximum(int32, float32)", expression: { i32([1, 5]).maximum(f32([2.5, 2.5])) }, dtype: .float32,
              values: [2.5, 5]),
        .init(name: "where(bool, float32, float64)",
              expression: { Tensor.where(bools([true, false]), f32([1, 2]), f64([3, 4])) }, dtype: .float64, values: [1, 4]),
        // A 0-d tensor does not widen a dimensioned one of its category, but lifts a lower category.
        .init(name: "float32 [2] + float64 0-d", expression: { f32([1, 2]) + Tensor(scalar: 0.5, dtype: .float64) },
              dtype: .float32, values: [1.5, 2.5]),
        .init(name: "int32 [2] * float64 0-d", expression: { i32([1, 2]) * Tensor(scalar: 1.5, dtype: .float64) },
              dtype: .float64, values: [1.5, 3]),
        .init(name: "int32 [2] + int64 0-d", expression: { i32([1, 2]) + Tensor(scalar: 7, dtype: .int64) },
              dtype: .int32, values: [8, 9]),
        .init(name: "bool [2] + int64 0-d", expression: { bools([true, false]) + Tensor(scalar: 2, dtype: .int64) },
              dtype: .int64, values: [3, 2]),
        .init(name: "float32 0-d + float64 0-d", expression: { Tensor(scalar: 1) + Tensor(scalar: 0.5, dtype: .float64) },
              dtype: .float64, values: [1.5]),
        // True division.
        .init(name: "int64 / int64", expression: { i64([1, 2, 3]) / i64([2, 2, 2]) }, dtype: .float32, values: [0.5, 1, 1.5]),
        .init(name: "int32 / Int", expression: { i32([1, 2, 3]) / 2 }, dtype: .float32, values: [0.5, 1, 1.5]),
        .init(name: "Int / int64", expression: { 6 / i64([1, 2, 4]) }, dtype: .float32, values: [6, 3, 1.5]),
        .init(name: "Double / int32", expression: { 3.0 / i32([2, 4]) }, dtype: .float32, values: [1.5, 0.75]),
        // Swift Double: a wrapped float.
        .init(name: "float32 + Double", expression: { f32([1, 2]) + 2.5 }, dtype: .float32, values: [3.5, 4.5]),
        .init(name: "Double * float64", expression: { 2.5 * f64([1, 2]) }, dtype: .float64, values: [2.5, 5]),
        .init(name: "int64 + Double", expression: { i64([1, 2]) + 2.5 }, dtype: .float32, values: [3.5, 4.5]),
        .init(name: "Double - int32", expression: { 0.5 - i32([1, 2]) }, dtype: .float32, values: [-0.5, -1.5]),
        .init(name: "bool * Double", expression: { bools([true, false]) * 2.5 }, dtype: .float32, values: [2.5, 0]),
        // Swift Int: keeps the tensor's dtype; bool becomes int64.
        .init(name: "int64 + Int", expression: { i64([1, 2]) + 1 }, dtype: .int64, values: [2, 3]),
        .init(name: "Int - int32", expression: { 1 - i32([1, 5]) }, dtype: .int32, values: [0, -4]),
        .init(name: "int32 * Int", expression: { i32([3, -4]) * 3 }, dtype: .int32, values: [9, -12]),
        .init(name: "bool + Int", expression: { bools([true, false]) + 1 }, dtype: .int64, values: [2, 1]),
        .init(name: "float32 * Int", expression: { f32([1.5, 2]) * 2 }, dtype: .float32, values: [3, 4]),
        // Comparisons promote, then compare.
        .init(name: "int64 .< Double", expression: { i64([2, 3]) .< 2.5 }, dtype: .bool, values: [1, 0]),
        .init(name: "int64 .>= Double", expression: { i64([2, 3]) .>= 2.5 }, dtype: .bool, values: [0, 1]),
        .init(name: "int32 .== Double", expression: { i32([2, 3]) .== 2.5 }, dtype: .bool, values: [0, 0]),
        .init(name: "int64 .== Int", expression: { i64([2, 3]) .== 3 }, dtype: .bool, values: [0, 1]),
        .init(name: "float32 .== float64", expression: { f32([0.1, 0.5]) .== f64([0.1, 0.5]) }, dtype: .bool,
              values: [0, 1]),  // float32(0.1) widened is not float64's 0.1
        .init(name: "int32 .< float32", expression: { i32([1, 2]) .< f32([1.5, 1.5]) }, dtype: .bool, values: [1, 0]),
    ]
}

private func f32(_ v: [Float]) -> Tensor { Tensor(v) }
private func f64(_ v: [Double]) -> Tensor { Tensor(v) }
private func i32(_ v: [Int32]) -> Tensor { Tensor(v) }
private func i64(_ v: [Int64]) -> Tensor { Tensor(v) }
private func bools(_ v: [Bool]) -> Tensor { Tensor(v) }

@Suite struct PromotionTests {
    @Test(arguments: PromotionCase.all)
    func mixedDtypesFollowPyTorch(_ c: PromotionCase) {
        let result = c.expression()
        #expect(result.dtype == c.dtype, "\(c.name): dtype \(result.dtype), expected \(c.dtype)")
        #expect(result.toArray(as: Double.self) == c.values, "\(c.name)")
    }

    @Test func resultTypeTable() {
        // torch.promote_types for the five dtypes, both operands dimensioned.
        let order: [DType] = [.bool, .int32, .int64, .float32, .float64]
        for (i, a) in order.enumerated() {
            for (j, b) in order.enumerated() {
                #expect(DType.resultType(a, zeroDim: false, b, zeroDim: false) == order[Swift.max(i, j)])
            }
        }
        #expect(DType.resultType(.float32, zeroDim: false, .float64, zeroDim: true) == .float32)
        #expect(DType.resultType(.float64, zeroDim: true, .int64, zeroDim: false) == .float64)
        #expect(DType.resultType(.int64, zeroDim: true, .int32, zeroDim: false) == .int32)
        #expect(DType.resultType(.bool, zeroDim: false, .int32, zeroDim: true) == .int32)
        #expect(DType.withDouble(.int64) == .float32 && DType.withDouble(.float64) == .float64)
        #expect(DType.withInt(.bool) == .int64 && DType.withInt(.int32) == .int32)
    }

    /// Gradients come back in each operand's own dtype through the promotion casts.
    @Test func gradientsKeepEachOperandsDtype() {
        var a = Tensor([1, 2] as [Float])
        var b = Tensor(scalar: 3, dtype: .float64)
        a.requiresGrad = true
        b.requiresGrad = true
        let y = a * b  // float32 [2]: the 0-d float64 does not widen it
        #expect(y.dtype == .float32)
        y.sum().backward()
        #expect(a.grad!.dtype == .float32 && a.grad!.toArray() == [3, 3])
        #expect(b.grad!.dtype == .float64 && b.grad!.item() == 3)
    }
}
