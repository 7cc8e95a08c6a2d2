// trainkit-bench: runs the shared benchmark workloads (shared/bench/README.md) and prints one JSON line each.
//
//   trainkit-bench [--threads N] [--quick] [--workload NAME[,NAME...]]... [--rep K] [--check-reset] [--list]
//   trainkit-bench fit --part kmeans|pca|gmm --data DIR [--seeds 0,1,2] [--threads N]   (UnsupervisedFits.swift)
//   trainkit-bench ddp --workload mlp|lenet ... / allreduce --bytes N   (under mpirun; DistributedRuns.swift)
//
// --threads N   restrict the process to the first N CPUs and use N threads in the pool and the BLAS (default 2)
// --quick       short timing profile (warm-up 0.2 s / 2 steps, 3 windows of 0.2 s)
// --workload    run only workloads whose name starts with one of these (repeatable, comma-separated)
// --rep K       repetition index copied into the JSON lines (default 1)
// --check-reset training workloads: print to stderr whether reset + 5 steps reproduces the parameters
// --list        print the workload names and exit
import CTrainKitKernels
import TrainKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let version = "0.1.0"

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

struct Options {
    var threads = 2
    var quick = false
    var filters: [String] = []
    var rep = 1
    var checkReset = false
    var list = false
}

func usage() -> Never {
    printError(
        """
        usage: trainkit-bench [--threads N] [--quick] [--workload NAME[,NAME...]]... [--rep K] [--check-reset] [--list]
        """)
    exit(2)
}

/// Threads: pin first (every thread started later inherits the mask), then size the pool and the BLAS, then
/// load the BLAS so its own threads start pinned.
func configureThreads(_ threads: Int) {
    let pinned = tk_pin_to_first_cpus(Int32(threads))
    if pinned >= 0 && pinned < threads {
        printError("trainkit-bench: only \(pinned) CPUs available for --threads \(threads)")
    }
    for variable in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS"]
    {
        setenv(variable, "\(threads)", 1)
    }
    for variable in ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"] where getenv(variable) != nil {
        printError("trainkit-bench: warning: \(variable) is set; it changes the OpenBLAS kernel")
    }
    tk_set_num_threads(Int32(threads))
}

func parseOptions(_ arguments: [String]) -> Options {
    var options = Options()
    var rest = arguments[...]
    func value(for flag: String) -> String {
        guard let v = rest.popFirst() else {
            printError("trainkit-bench: \(flag) needs a value")
            usage()
        }
        return v
    }
    while let argument = rest.popFirst() {
        switch argument {
        case "--threads":
            guard let n = Int(value(for: argument)), n >= 1 else { usage() }
            options.threads = n
        case "--quick": options.quick = true
        case "--workload", "--only":
            options.filters += value(for: argument).split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
        case "--rep":
            guard let k = Int(value(for: argument)) else { usage() }
            options.rep = k
        case "--check-reset": options.checkReset = true
        case "--list": options.list = true
        case "-h", "--help": usage()
        default:
            printError("trainkit-bench: unknown argument \(argument)")
            usage()
        }
    }
    return options
}

if case .failure(let error) = Device.environmentDefault {
    printError("trainkit-bench: \(error)")
    exit(2)
}
if CommandLine.arguments.dropFirst().first == "fit" {
    UnsupervisedFits.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if let command = CommandLine.arguments.dropFirst().first, ["ddp", "allreduce"].contains(command) {
    DistributedRuns.run(command, Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
let workloads = Workloads.all.filter { workload in
    options.filters.isEmpty || options.filters.contains { workload.name.hasPrefix($0) }
}
if options.list {
    for w in Workloads.all { print("\(w.name)\t\(w.metric.rawValue)\t\(w.size.key)=\(w.size.value)") }
    exit(0)
}
if workloads.isEmpty {
    printError("trainkit-bench: no workload matches \(options.filters); --list shows them")
    exit(2)
}

configureThreads(options.threads)
let blas = String(cString: tk_blas_name())
let simd = String(cString: tk_simd_level())
let sgemmPath = SGEMMWorkloads.sgemmPath
let profile = options.quick ? TimingProfile.quick : TimingProfile.full

for workload in workloads {
    var fields: [(key: String, value: JSONValue)] = []
    do {
        guard let instance = workload.make() else {
            printError("trainkit-bench: \(workload.name) skipped: no BLAS library is loaded")
            continue
        }
        precondition(!workload.isTraining || instance.reset != nil, "\(workload.name): training needs reset")
        resetPeakResident()
        if options.checkReset { _ = checkReset(instance, name: workload.name) }
        let m = measure(instance, unitsPerStep: workload.unitsPerStep, profile: profile)
        fields = [
            ("framework", .string("trainkit")), ("workload", .string(workload.name)),
            ("metric", .string(workload.metric.rawValue)), ("value", .number(rounded(m.value, 3))),
            ("threads", .int(options.threads)), (workload.size.key, .int(workload.size.value)),
            ("min", .number(m.min)), ("max", .number(m.max)), ("steps_per_window", .int(m.stepsPerWindow)),
            ("windows", .int(m.windows)), ("ms_per_step", .number(m.msPerStep)), ("other_load", m.otherLoad),
            ("steal", m.steal),
        ]
        if let cap = m.maxTraj { fields.append(("max_traj", .int(cap))) }
        fields += [
            ("quick", .bool(options.quick)), ("rep", .int(options.rep)), ("version", .string(version)),
            ("device", .string(Device.default.description)), ("blas", .string(blas)), ("sgemm", .string(sgemmPath)),
            ("simd", .string(simd)),
            ("peak_rss_mb", peakResidentMiB().map { .number($0) } ?? .null),
        ]
        fields += instance.extra
    }
    print(jsonLine(fields))
    fflush(nil)  // one line per workload, visible as soon as it is measured
}
