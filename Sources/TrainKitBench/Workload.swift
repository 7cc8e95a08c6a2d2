/// One benchmark workload of `shared/bench/README.md` ("Workloads"): what one step is, how it is counted and,
/// for training, how its trajectory restarts.
///
/// A family of workloads lives in its own file (`SGEMMWorkloads.swift`, ...) and is listed once in
/// `Workloads.all`. `make()` builds the data and model outside the timed region; the instance it returns is
/// dropped before the next workload starts.
struct Workload {
    enum Metric: String {
        /// `batch · steps / s` (training and inference workloads).
        case samplesPerSecond = "samples_per_s"
        /// `2n³ / s / 1e9` (W7).
        case gflops
        /// Tensor elements processed per second (op workloads).
        case elementsPerSecond = "elements_per_s"
        /// Reinforcement-learning environment steps per second (summed over a vector's environments).
        case envStepsPerSecond = "env_steps_per_s"
    }

    /// The JSON `workload` value, e.g. `sgemm_1024`; `--workload` matches it by prefix.
    var name: String
    var metric: Metric
    /// The size key of the JSON line: `("batch", 128)` for model workloads, `("n", 1024)` for sgemm.
    var size: (key: String, value: Int)
    /// Metric units one step produces: samples per step, or GFLOP per call for `.gflops`.
    var unitsPerStep: Double
    /// Training workloads follow the fixed-trajectory rule: `make()` must supply `reset`.
    var isTraining: Bool
    /// Builds the instance; nil when the workload cannot run here (`sgemm_blas_*` without a BLAS library).
    var make: () -> WorkloadInstance?
}

/// A built workload, ready to time.
struct WorkloadInstance {
    /// Runs one step to completion; `index` counts steps since the last reset (use batch `index % 16`).
    var step: (_ index: Int) -> Void
    /// Training: restores the initial parameters and zeroes the optimizer state (momentum, moments, step count).
    var reset: (() -> Void)? = nil
    /// Training (optional): a checksum of the parameters, for `--check-reset`.
    var fingerprint: (() -> Double)? = nil
    /// Extra JSON keys for this workload's line (e.g. `kernel`), appended after the common ones.
    var extra: [(key: String, value: JSONValue)] = []
}

enum Workloads {
    /// Every workload, in run order. A new family adds its file and one term here.
    static var all: [Workload] {
        SGEMMWorkloads.all
            + TensorOpWorkloads.all
            + NNWorkloads.all
            + MatrixFactorizationWorkloads.all
            + InferenceWorkloads.all
            + OptimizerWorkloads.all
            + DataWorkloads.all
            + EnvironmentWorkloads.all
    }
}
