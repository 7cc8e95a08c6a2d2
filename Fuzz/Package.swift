// swift-tools-version:6.0
// libFuzzer targets for TrainKit's file readers. Built only by scripts/fuzz, with the fuzzer and address
// sanitizers (`-sanitize=fuzzer,address -parse-as-library`); the root package stays free of them.
import PackageDescription

let targets = ["csv", "config", "idx", "gzip", "safetensors", "model-json", "checkpoint-state", "tune-journal"]

let package = Package(
    name: "TrainKitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "TrainKit", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Sources/FuzzSupport"),
    ] + targets.map { name in
        .executableTarget(
            name: "fuzz-\(name)",
            dependencies: [
                "FuzzSupport",
                .product(name: "TrainKit", package: "TrainKit"),
                .product(name: "_TrainKitCLICore", package: "TrainKit"),
            ],
            path: "Sources/\(name)")
    }
)
