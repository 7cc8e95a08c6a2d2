import TrainKitCore

/// Several datasets of one type read as one, end to end (PyTorch's `ConcatDataset`).
///
/// Element `i` comes from the part whose cumulative range holds `i` (binary search over the offsets).
///
/// ```swift
/// let wine = ConcatenatedDataset([red, white])   // 1,599 + 4,898 rows
/// ```
public struct ConcatenatedDataset<Part: Dataset>: Dataset {
    public let parts: [Part]
    /// `offsets[k]` is the index of part `k`'s first element; `offsets.last` is the total count.
    public let offsets: [Int]

    public init(_ parts: [Part]) {
        self.parts = parts
        var offsets = [0]
        for part in parts { offsets.append(offsets.last! + part.count) }
        self.offsets = offsets
    }

    public var count: Int { offsets.last! }

    public subscript(index: Int) -> Part.Element {
        checkIndex(index)
        let k = part(containing: index)
        return parts[k][index - offsets[k]]
    }

    /// The part holding global `index`: the last `k` with `offsets[k] <= index` and a non-empty part.
    func part(containing index: Int) -> Int {
        var low = 0, high = parts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if offsets[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

extension ConcatenatedDataset: GatheringDataset where Part: GatheringDataset {
    /// Gathers each part's rows in one pass, then restores the requested order.
    public func gather(_ indices: [Int]) -> Batch {
        var local = [[Int]](repeating: [], count: parts.count)
        var position = [(part: Int, slot: Int)]()
        position.reserveCapacity(indices.count)
        for i in indices {
            checkIndex(i)
            let k = part(containing: i)
            position.append((k, local[k].count))
            local[k].append(i - offsets[k])
        }
        let used = (0..<parts.count).filter { !local[$0].isEmpty }
        if used.isEmpty {
            precondition(!parts.isEmpty, "ConcatenatedDataset.gather: no parts")
            return parts[0].gather([])
        }
        if used.count == 1 { return parts[used[0]].gather(local[used[0]]) }
        var start = [Int](repeating: 0, count: parts.count)
        var running = 0
        var pieces = [Batch]()
        for k in used {
            start[k] = running
            running += local[k].count
            pieces.append(parts[k].gather(local[k]))
        }
        let order = position.map { start[$0.part] + $0.slot }
        let features = Tensor.cat(pieces.map(\.features), dim: 0)
        let labels = Tensor.cat(pieces.map(\.labels), dim: 0)
        return Batch(features: features.gatheredRows(order), labels: labels.gatheredRows(order))
    }
}
