/// The timing rule of `shared/bench/README.md` (mirrors `_common.measure`).
///
/// 1. Warm-up: run steps until `warmSeconds` and `warmMinSteps` have both passed.
/// 2. k = ceil(windowSeconds / median step time of the second half of the warm-up), at least `minSteps`.
/// 3. `windows` timed windows of exactly k steps; rate = k · unitsPerStep / window time.
/// 4. Report the median window rate, and the extreme windows as min / max.
/// 5. Training (an instance with `reset`): reset before the warm-up, every 300 warm-up steps and before each
///    window (outside the timed interval), k capped at 300; if the cap shortens the windows, up to 40 windows
///    keep about `windows · windowSeconds` of timed work.
struct TimingProfile {
    var warmSeconds: Double
    var warmMinSteps: Int
    var windows: Int
    var windowSeconds: Double
    var minSteps: Int

    static let full = TimingProfile(warmSeconds: 1.0, warmMinSteps: 5, windows: 7, windowSeconds: 0.75, minSteps: 1)
    static let quick = TimingProfile(warmSeconds: 0.2, warmMinSteps: 2, windows: 3, windowSeconds: 0.2, minSteps: 1)
}

/// Longest stretch of a training trajectory that is ever timed (`MAX_TRAJ`).
let maxTrajectory = 300

struct Measurement {
    var value: Double
    var min: Double
    var max: Double
    var stepsPerWindow: Int
    var windows: Int
    var msPerStep: Double
    var otherLoad: JSONValue
    var steal: JSONValue
    /// 300 for training workloads, nil otherwise.
    var maxTraj: Int?
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    let n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/// Times `instance.step` by the rule above; `unitsPerStep` converts steps into the metric.
func measure(_ instance: WorkloadInstance, unitsPerStep: Double, profile: TimingProfile) -> Measurement {
    let reset = instance.reset
    let cap: Int? = reset == nil ? nil : maxTrajectory
    reset?()

    // 1. Warm-up.
    var times: [Double] = []
    var index = 0
    let start = monotonicSeconds()
    while true {
        if let cap, index >= cap {
            reset?()
            index = 0
        }
        let t0 = monotonicSeconds()
        instance.step(index)
        let t1 = monotonicSeconds()
        times.append(t1 - t0)
        index += 1
        if times.count >= profile.warmMinSteps && t1 - start >= profile.warmSeconds { break }
    }

    // 2. Steps per window.
    let perStep = median(Array(times[(times.count / 2)...]))
    var k = max(profile.minSteps, Int((profile.windowSeconds / max(perStep, 1e-9)).rounded(.up)))
    var windows = profile.windows
    if let cap, k > cap {
        k = cap
        let needed = (Double(profile.windows) * profile.windowSeconds / (Double(k) * perStep)).rounded(.up)
        windows = min(40, max(windows, Int(needed)))
    }

    // 3. Timed windows.
    var rates: [Double] = []
    let before = CPUSnapshot.now()
    for _ in 0..<windows {
        if reset != nil {
            reset?()
            index = 0
        }
        let t0 = monotonicSeconds()
        for _ in 0..<k {
            instance.step(index)
            index += 1
        }
        let dt = monotonicSeconds() - t0
        rates.append(Double(k) * unitsPerStep / dt)
    }
    let load = CPUSnapshot.load(from: before, to: CPUSnapshot.now())

    // 4. Summary.
    let med = median(rates)
    return Measurement(
        value: med, min: rounded(rates.min()!, 3), max: rounded(rates.max()!, 3), stepsPerWindow: k,
        windows: windows, msPerStep: rounded(1000 * unitsPerStep / med, 4), otherLoad: load.other,
        steal: load.steal, maxTraj: cap)
}

/// `--check-reset`: whether reset + 5 steps gives the same parameter checksum twice (printed to stderr).
func checkReset(_ instance: WorkloadInstance, name: String, steps: Int = 5) -> Bool? {
    guard let reset = instance.reset, let fingerprint = instance.fingerprint else { return nil }
    reset()
    let f0 = fingerprint()
    for i in 0..<steps { instance.step(i) }
    let f1 = fingerprint()
    reset()
    for i in 0..<steps { instance.step(i) }
    let f2 = fingerprint()
    let ok = abs(f1 - f2) <= 1e-6 * max(1, abs(f1)) && f1 != f0
    printError("[reset-check] \(name) \(ok ? "ok" : "FAILED"): init \(f0) after \(steps) steps \(f1) / \(f2)")
    return ok
}
