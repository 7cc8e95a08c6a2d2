import TrainKitCore

/// Checks that every rank runs the same thing before training starts.
///
/// Each rank hashes each named item (parameter shapes, config, data size, ...) to 64 bits (FNV-1a); one
/// all-gather brings every rank's hashes, and the first item where any rank differs from rank 0 throws
/// ``DistributedError/ranksDisagree(what:values:)`` naming it. The values in the error are only this rank's
/// text; the others are shown by their hashes.
public enum RankAgreement {
    public static func check(_ items: [(what: String, value: String)], group: any ProcessGroup) throws {
        guard group.worldSize > 1, !items.isEmpty else { return }
        // 64-bit hashes as two exact 32-bit halves in float64 (every ProcessGroup gathers floats).
        let local = items.flatMap { item -> [Double] in
            let h = fnv1a(item.value)
            return [Double(h >> 32), Double(h & 0xffff_ffff)]
        }
        let all = group.allGather(Tensor(local, shape: [local.count])).toArray(as: Double.self)
        let width = local.count
        for (k, item) in items.enumerated() {
            let perRank = (0..<group.worldSize).map { r in
                (UInt64(all[r * width + 2 * k]) << 32) | UInt64(all[r * width + 2 * k + 1])
            }
            if Set(perRank).count > 1 {
                let values = perRank.enumerated().map { r, h in
                    r == group.rank && item.value.count <= 120 ? item.value : "hash " + String(h, radix: 16)
                }
                throw DistributedError.ranksDisagree(what: item.what, values: values)
            }
        }
    }

    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
