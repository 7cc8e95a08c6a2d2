/// Sizes computed from numbers read from outside (file headers, shapes in JSON), with overflow checks.
///
/// A dimension list from a file can multiply past `Int.max`; the unchecked `shape.reduce(1, *)` then traps.
/// Readers multiply through here first and report a named error when the answer is nil.
///
/// ```swift
/// CheckedSize.bytes(shape: [2, 3], elementSize: 4)          // 24
/// CheckedSize.bytes(shape: [1 << 62, 4], elementSize: 4)    // nil
/// ```
public enum CheckedSize {
    /// `elementSize · shape[0] · shape[1] · …`, or nil when a step overflows `Int`. An empty shape is one element.
    public static func bytes(shape: [Int], elementSize: Int = 1) -> Int? {
        var total = elementSize
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return total
    }
}
