// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TrainKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TrainKit", targets: ["TrainKit"]),
        .library(name: "TrainKitCore", targets: ["TrainKitCore"]),
        .library(name: "TrainKitONNX", targets: ["TrainKitONNX"]),
        .executable(name: "trainkit", targets: ["TrainKitCLI"]),
        .executable(name: "trainkit-bench", targets: ["TrainKitBench"]),
        // The inference server, a program of its own so that `trainkit` links no HTTP stack; `trainkit serve` runs it.
        .executable(name: "trainkit-serve", targets: ["TrainKitServeCLI"]),
        // Exported only for the fuzz targets in Fuzz/ (a separate package), which feed the CLI's readers.
        .library(name: "_TrainKitCLICore", targets: ["TrainKitCLICore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        // The protocol buffer runtime for the ONNX and TensorBoard messages (TrainKitONNX, TrainKitTracking only). Their
        // Swift code is generated once by scripts/generate-protos and committed; no build plugin, so no protoc in builds.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Serving only (TrainKitServe, linked into the `trainkit-serve` executable; no other target depends on them).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Kernels (C: SIMD loops, packed GEMM, BLAS through dlopen, thread pool)
        .target(
            name: "CTrainKitKernels",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux])),
                             .linkedLibrary("pthread", .when(platforms: [.linux])),
                             .linkedLibrary("m", .when(platforms: [.linux]))]
        ),

        // MARK: - Tensor and autograd
        .target(name: "TrainKitCore", dependencies: ["CTrainKitKernels"]),

        // MARK: - Neural networks and optimizers
        .target(name: "TrainKitNN", dependencies: ["TrainKitCore"]),
        .target(name: "TrainKitOptim", dependencies: ["TrainKitCore"]),

        // MARK: - Ready models (TabularNet, TextClassifier, ResidualNet, MatrixFactorization, ...)
        .target(name: "TrainKitModels", dependencies: ["TrainKitCore", "TrainKitNN"]),

        // MARK: - Data
        .target(name: "TrainKitData", dependencies: ["TrainKitCore"]),

        // MARK: - Metrics and file formats
        .target(name: "TrainKitMetrics", dependencies: ["TrainKitCore"]),
        .target(name: "TrainKitIO", dependencies: ["TrainKitCore"]),

        // MARK: - Unsupervised learning: k-means, PCA, Gaussian mixtures
        .target(name: "TrainKitUnsupervised", dependencies: ["TrainKitCore"]),

        // MARK: - Reinforcement learning: environments (Gymnasium's), vector environments, agents
        .target(name: "TrainKitRL", dependencies: ["TrainKitCore", "TrainKitNN", "TrainKitOptim"]),

        // MARK: - Distributed: process group over MPI (libmpi found at run time), gradient buckets
        .target(name: "TrainKitDistributed", dependencies: ["TrainKitCore", "CTrainKitKernels"]),

        // MARK: - Umbrella: training loop, selection; re-exports the building blocks
        .target(name: "TrainKit", dependencies: ["TrainKitCore", "TrainKitNN", "TrainKitOptim", "TrainKitData",
                                                 "TrainKitMetrics", "TrainKitIO", "TrainKitModels", "TrainKitUnsupervised",
                                                 "TrainKitRL", "TrainKitDistributed"]),

        // MARK: - ONNX export (graph builder over onnx.proto's messages, Generated/ from Protos/ by scripts/generate-protos)
        .target(name: "TrainKitONNX", dependencies: ["TrainKit", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Protos"]),

        // MARK: - Tracking: TensorBoard event files, MLflow runs
        // The event-file messages are Generated/ from Protos/*.proto by scripts/generate-protos (swift-protobuf).
        .target(name: "TrainKitTracking", dependencies: ["TrainKit", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Protos"]),

        // MARK: - Model registry: versions, aliases, promotion gate (SQLite / PostgreSQL through dlopen)
        .target(name: "TrainKitRegistry"),

        // MARK: - Executables
        .target(name: "TrainKitCLICore", dependencies: [
            "TrainKit", "TrainKitONNX", "TrainKitTracking", "TrainKitRegistry", "CTrainKitKernels", "Yams",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // MARK: - Serving: the Open Inference Protocol v2 over HTTP (Hummingbird); the engine is TrainKitCLICore/Serve
        .target(name: "TrainKitServe", dependencies: [
            "TrainKit", "TrainKitCLICore", "TrainKitRegistry",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "TrainKitServeCLI", dependencies: ["TrainKitServe", "TrainKitCLICore"]),
        .executableTarget(name: "TrainKitCLI", dependencies: ["TrainKitCLICore"]),
        .executableTarget(name: "TrainKitBench", dependencies: ["TrainKit", "CTrainKitKernels"]),
        .executableTarget(name: "moons", dependencies: ["TrainKit"], path: "Examples/moons"),
        .executableTarget(name: "mnist", dependencies: ["TrainKit"], path: "Examples/mnist"),
        .executableTarget(name: "models", dependencies: ["TrainKit"], path: "Examples/models"),
        .executableTarget(name: "cartpole", dependencies: ["TrainKitRL"], path: "Examples/cartpole"),

        // MARK: - Test support and tests
        .target(name: "TrainKitTestSupport", dependencies: ["TrainKitCore"]),
        .testTarget(name: "TrainKitCoreTests", dependencies: ["TrainKitCore", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitNNTests", dependencies: ["TrainKitNN", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitOptimTests", dependencies: ["TrainKitOptim", "TrainKitNN", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitDataTests", dependencies: ["TrainKitData", "TrainKitTestSupport"],
                    exclude: ["Resources"]),
        .testTarget(name: "TrainKitMetricsTests", dependencies: ["TrainKitMetrics", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitModelsTests", dependencies: ["TrainKitModels", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitTests", dependencies: ["TrainKit", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitCLITests", dependencies: ["TrainKitCLICore", "TrainKitRegistry", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitIOTests", dependencies: ["TrainKitIO", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitONNXTests", dependencies: ["TrainKitONNX", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitTrackingTests", dependencies: ["TrainKitTracking", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitUnsupervisedTests", dependencies: ["TrainKitUnsupervised", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitRLTests", dependencies: ["TrainKitRL", "TrainKitTestSupport"]),
        .testTarget(name: "TrainKitRegistryTests", dependencies: ["TrainKitRegistry"]),
        .testTarget(name: "TrainKitDistributedTests", dependencies: ["TrainKitDistributed", "TrainKitData",
                                                                     "TrainKitTestSupport"]),
    ]
)
