import Foundation
import TrainKitCore

/// Image classification datasets stored as IDX files: MNIST, Fashion-MNIST and others of that layout.
///
/// Images become float32 in `[0, 1]` (pixel / 255), shaped `[N, 1, rows, cols]` (or `[N, rows · cols]`
/// with `flatten`); labels become int64 class indices `[N]`.
///
/// ```swift
/// let data = try IDXDataset.mnist(directory: "data/mnist")
/// let (train, validation) = data.train.split(fraction: 0.9, seed: 0)
/// print(data.test.count)   // 10000
/// ```
public enum IDXDataset {
    /// MNIST's official train (60,000) and test (10,000) sets from a directory holding the four files
    /// (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]`,
    /// `t10k-labels-idx1-ubyte[.gz]`; the `train-images.idx3-ubyte` spelling is accepted too).
    public static func mnist(directory: String, flatten: Bool = false) throws -> (train: TensorDataset, test: TensorDataset) {
        (try load(directory: directory, prefix: "train", flatten: flatten),
         try load(directory: directory, prefix: "t10k", flatten: flatten))
    }

    /// Fashion-MNIST (same file names and layout as MNIST).
    public static func fashionMNIST(directory: String, flatten: Bool = false) throws
        -> (train: TensorDataset, test: TensorDataset) {
        try mnist(directory: directory, flatten: flatten)
    }

    /// A dataset from an images file (`[N, rows, cols]`, uint8) and a labels file (`[N]`, whole numbers in
    /// `0..<65536`: see ``IDXLabels``).
    public static func load(images: String, labels: String, flatten: Bool = false) throws -> TensorDataset {
        let pixels = try IDXArray(contentsOf: images)
        let classes = try IDXArray(contentsOf: labels)
        guard pixels.shape.count == 3 else {
            throw DataError.invalidFormat(file: images, reason: "IDX: images must be 3-d [N, rows, cols], got \(pixels.shape)")
        }
        guard classes.shape.count == 1 else {
            throw DataError.invalidFormat(file: labels, reason: "IDX: labels must be 1-d [N], got \(classes.shape)")
        }
        guard pixels.shape[0] == classes.shape[0] else {
            throw DataError.invalidFormat(
                file: labels, reason: "IDX: \(classes.shape[0]) labels for \(pixels.shape[0]) images in \(images)")
        }
        let n = pixels.shape[0], rows = pixels.shape[1], cols = pixels.shape[2]
        // The header's size check covers n · rows · cols only when n > 0; an empty file may declare any geometry.
        guard let pixelsPerImage = CheckedSize.bytes(shape: [rows, cols]) else {
            throw DataError.invalidFormat(
                file: images, reason: "IDX: images of \(rows) × \(cols) pixels have more pixels than a tensor can hold")
        }
        let shape = flatten ? [n, pixelsPerImage] : [n, 1, rows, cols]
        return TensorDataset(features: pixels.floatTensor(dividingBy: 255, shape: shape),
                             labels: try IDXLabels.classIndices(classes, file: labels))
    }

    private static func load(directory: String, prefix: String, flatten: Bool) throws -> TensorDataset {
        try load(images: try locate(directory, ["\(prefix)-images-idx3-ubyte", "\(prefix)-images.idx3-ubyte"]),
                 labels: try locate(directory, ["\(prefix)-labels-idx1-ubyte", "\(prefix)-labels.idx1-ubyte"]),
                 flatten: flatten)
    }

    /// The first existing path among `names` (each tried with `.gz` first).
    private static func locate(_ directory: String, _ names: [String]) throws -> String {
        let candidates = names.flatMap { ["\($0).gz", $0] }.map { (directory as NSString).appendingPathComponent($0) }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw DataError.unreadable(file: candidates[0], reason: "no such file (also tried \(candidates.dropFirst().joined(separator: ", ")))")
        }
        return found
    }
}
