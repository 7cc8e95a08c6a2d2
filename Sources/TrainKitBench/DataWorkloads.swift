import Foundation
import TrainKit

/// Data workloads (issue 5): MNIST train set loaded from gzip (pure-Swift inflate + IDX decode), CSV parsing of a
/// generated 100 MB file, and DataLoader throughput on MNIST (batch 64, shuffled) without and with prefetch.
///
/// Metrics: `samples_per_s` counts images (MNIST load), rows (CSV) or examples (loader). The JSON line also
/// carries `bytes` (input size) so `MB/s = value · bytes / samples / 1e6`, and `seconds = samples / value`.
/// Set `TRAINKIT_DATASETS` to the shared datasets folder (default `../shared/datasets`).
enum DataWorkloads {
    static var datasets: String { ProcessInfo.processInfo.environment["TRAINKIT_DATASETS"] ?? "../shared/datasets" }

    static var all: [Workload] {
        [mnistLoad, csvParse, loader(prefetch: 0), loader(prefetch: 4)]
    }

    static var mnistLoad: Workload {
        Workload(name: "data_mnist_gzip_load", metric: .samplesPerSecond, size: ("rows", 60_000),
                 unitsPerStep: 60_000, isTraining: false) {
            let images = datasets + "/mnist/train-images-idx3-ubyte.gz"
            let labels = datasets + "/mnist/train-labels-idx1-ubyte.gz"
            return WorkloadInstance(step: { _ in _ = try! IDXDataset.load(images: images, labels: labels) },
                                    extra: [("bytes", .int(47_040_016))])
        }
    }

    /// 1,024,410 rows x 11 columns (id, 8 decimals, a 4-level category, a 0/1 label), 100 MB.
    static var csvParse: Workload {
        Workload(name: "data_csv_parse_100mb", metric: .samplesPerSecond, size: ("rows", rows),
                 unitsPerStep: Double(rows), isTraining: false) {
            let path = NSTemporaryDirectory() + "trainkit-bench-100mb.csv"
            let bytes = generateCSV(path)
            return WorkloadInstance(step: { _ in _ = try! CSVReader().read(path) }, extra: [("bytes", .int(bytes))])
        }
    }
    static let rows = 1_024_410

    static func generateCSV(_ path: String) -> Int {
        var out = [UInt8]("id,a,b,c,d,e,f,g,h,category,label\n".utf8)
        let categories = ["red", "green", "blue", "yellow"]
        var x: UInt64 = 1
        for i in 0..<rows {
            var row = "\(i)"
            for _ in 0..<8 {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                row += "," + String(format: "%.6f", Double(x >> 11) / Double(1 << 53) * 200 - 100)
            }
            row += ",\(categories[i % 4]),\(i % 2)\n"
            out += row.utf8
        }
        FileManager.default.createFile(atPath: path, contents: Data(out))
        return out.count
    }

    static func loader(prefetch: Int) -> Workload {
        Workload(name: "data_loader_mnist_prefetch\(prefetch)", metric: .samplesPerSecond, size: ("batch", 64),
                 unitsPerStep: 64, isTraining: false) {
            let train = try! IDXDataset.mnist(directory: datasets + "/mnist").train
            let loader = DataLoader(train, batchSize: 64, shuffle: true, dropLast: true, seed: 0, prefetch: prefetch)
            final class Cursor: @unchecked Sendable { var epoch = 0; var batches: EpochBatches<Batch>.Iterator? }
            let cursor = Cursor()
            return WorkloadInstance(step: { _ in
                if cursor.batches == nil { cursor.batches = loader.batches(epoch: cursor.epoch).makeIterator() }
                if cursor.batches!.next() == nil {
                    cursor.epoch += 1
                    cursor.batches = loader.batches(epoch: cursor.epoch).makeIterator()
                    _ = cursor.batches!.next()
                }
            }, extra: [("prefetch", .int(prefetch))])
        }
    }
}
