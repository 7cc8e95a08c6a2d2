#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
}

/// The whole text of a small file (`/proc/...`), or nil.
func readSmallFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Machine and process CPU counters at one instant (Linux `/proc`), for `other_load` and `steal`.
struct CPUSnapshot {
    var wall: Double
    /// Jiffies the whole machine spent busy: user + nice + system + irq + softirq.
    var busy: Double
    var steal: Double
    /// Jiffies this process (and children it waited for) spent on CPU: utime + stime + cutime + cstime.
    var own: Double

    /// nil where `/proc` is missing (macOS).
    static func now() -> CPUSnapshot? {
        let wall = monotonicSeconds()
        guard let stat = readSmallFile("/proc/stat"), let line = stat.split(separator: "\n").first,
            let selfStat = readSmallFile("/proc/self/stat"), let close = selfStat.lastIndex(of: ")")
        else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        // After "pid (comm)" come fields 3...; utime, stime, cutime, cstime are fields 14-17.
        let own = selfStat[selfStat.index(after: close)...].split(separator: " ").compactMap { Double($0) }
        guard v.count >= 7, own.count >= 14 else { return nil }
        return CPUSnapshot(
            wall: wall, busy: v[0] + v[1] + v[2] + v[5] + v[6], steal: v.count > 7 ? v[7] : 0,
            own: own[10] + own[11] + own[12] + own[13])
    }

    /// (cores kept busy by other processes, cores lost to hypervisor steal) between two snapshots, rounded to
    /// 0.01 as in `_common._other_load`.
    static func load(from a: CPUSnapshot?, to b: CPUSnapshot?) -> (other: JSONValue, steal: JSONValue) {
        guard let a, let b, b.wall > a.wall else { return (.null, .null) }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let wall = b.wall - a.wall
        let other = ((b.busy - a.busy) - (b.own - a.own)) / hz
        return (.number(rounded(max(other, 0) / wall, 2)), .number(rounded((b.steal - a.steal) / hz / wall, 2)))
    }
}

/// Peak resident memory of this process in MiB (`VmHWM`), or nil off Linux.
func peakResidentMiB() -> Double? {
    guard let status = readSmallFile("/proc/self/status") else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return rounded(kib / 1024, 1)
    }
    return nil
}

/// Resets the `VmHWM` peak to the current resident size (Linux ≥ 4.0), so each workload reports its own peak.
func resetPeakResident() {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return }
    fputs("5", file)
    fclose(file)
}
