import Foundation
import TrainKit

/// The fitted preprocessing of IDX images: per-channel standardization (fitted on the training images) and
/// whether images are flattened to vectors (`mlp`) or kept as `[C, H, W]` (`cnn`).
public struct ImagePreprocessing: Codable, Sendable {
    public var normalization: ImageNormalization?
    public var flatten: Bool
    /// `[C, H, W]`.
    public var imageShape: [Int]

    /// Normalized (and possibly flattened) images.
    func transform(_ images: Tensor) -> Tensor {
        let x = normalization.map { $0(images) } ?? images
        return flatten ? x.reshape([x.shape[0], -1]) : x
    }

    /// A directory's test images (`t10k-*`, else `train-*`) with their labels when present.
    func inputs(directory: String) throws -> PreparedInputs {
        let data = try ImagePipeline.load(directory: directory, prefixes: ["t10k", "test", "train"])
        guard Array(data.features.shape.dropFirst()) == imageShape else {
            throw DataError.invalidFormat(file: directory, reason: "images are \(Array(data.features.shape.dropFirst())), the model was trained on \(imageShape)")
        }
        return PreparedInputs(features: transform(data.features), labels: data.labels,
                              rowNames: (0..<data.features.shape[0]).map { String($0 + 1) })
    }
}

/// Reads an IDX image run (MNIST layout): train and test sets from one directory, or the test set from
/// `data.test`; validation held out from the training images.
enum ImagePipeline {
    /// - Parameter kept: a warm start's preprocessing to use instead of fitting one (the image shape, the channel
    ///   normalization and the classes; ``WarmStart``): other image sizes or a label it does not know are data
    ///   errors, and a warning says when a channel's mean moved by more than half the kept standard deviation.
    static func prepare(_ config: RunConfig, rows: SplitPlan? = nil, kept: Preprocessing? = nil) throws -> PreparedData {
        let d = config.data
        let trainFiles = try files(directory: d.train, prefixes: ["train"])
        let train = try IDXDataset.load(images: trainFiles.images, labels: trainFiles.labels)
        let labelsOnly = train.labels.toArray(as: Int64.self).map { Int($0) }
        let count = train.count
        let test: TensorDataset?
        var plan: SplitPlan
        if let rows {  // a cross-validation fold: every part comes from the training images
            plan = rows
            test = nil
        } else if let testDirectory = d.test ?? (hasFiles(d.train, prefix: "t10k") ? d.train : nil) {
            let loaded = try load(directory: testDirectory, prefixes: ["t10k", "test"])
            try requireSameShape(test: loaded, in: testDirectory, train: train, in: d.train)
            test = loaded
            plan = SplitPlan(count: count, labels: d.stratify ? labelsOnly : nil, testFraction: 0,
                             validationFraction: d.validationSplit, seed: config.seed)
        } else {
            plan = SplitPlan(count: count, labels: d.stratify ? labelsOnly : nil, testFraction: d.testSplit,
                             validationFraction: d.validationSplit, seed: config.seed)
            test = nil
        }
        let trainPart = train.rows(plan.train)
        var warnings: [String] = []
        let preprocessing: ImagePreprocessing
        if let keptImages = kept?.images {
            let shape = Array(train.features.shape.dropFirst())
            guard shape == keptImages.imageShape else {
                throw DataError.invalidFormat(file: trainFiles.images, reason: "images are \(shapeText(shape)), the --init-from model was trained on \(shapeText(keptImages.imageShape))")
            }
            preprocessing = keptImages
            if let normalization = keptImages.normalization {
                let now = ImageNormalization.fit(trainPart.features)
                for c in normalization.mean.indices where abs(now.mean[c] - normalization.mean[c]) > 0.5 * normalization.std[c] {
                    warnings.append(String(
                        format: "%@: channel %d's mean is %.4g, the --init-from model's training mean %.4g (std %.4g): the images drift outside its normalization (pass --refit-preprocessing to fit it anew)",
                        trainFiles.images, c, now.mean[c], normalization.mean[c], normalization.std[c]))
                }
            }
        } else {
            preprocessing = ImagePreprocessing(
                normalization: d.normalize ? ImageNormalization.fit(trainPart.features) : nil,
                flatten: config.model.kind == .mlp || config.model.kind == .autoencoder, imageShape: Array(train.features.shape.dropFirst()))
        }
        func transformed(_ data: TensorDataset) -> TensorDataset {
            TensorDataset(features: preprocessing.transform(data.features), labels: data.labels)
        }
        var classCount = try IDXLabels.classCount(train.labels.toArray(as: Int64.self), file: trainFiles.labels)
        if let known = kept?.classes {
            guard classCount <= known.count else {
                throw WarmStartError.newClasses(file: trainFiles.labels, column: "the labels", classes: (known.count..<classCount).map(String.init), known: known)
            }
            classCount = known.count
        }
        var result = PreparedData(
            train: transformed(trainPart),
            validation: plan.validation.isEmpty ? nil : transformed(train.rows(plan.validation)),
            test: (test ?? (plan.test.isEmpty ? nil : train.rows(plan.test))).map(transformed),
            preprocessing: Preprocessing(format: .idx, task: .classification, classes: (0..<classCount).map(String.init)))
        result.preprocessing.images = preprocessing
        result.warnings = warnings
        return result
    }

    /// The test images must have the training images' `[C, H, W]`: the model is built for that shape.
    static func requireSameShape(test: TensorDataset, in testDirectory: String, train: TensorDataset,
                                 in trainDirectory: String) throws {
        let testShape = Array(test.features.shape.dropFirst()), trainShape = Array(train.features.shape.dropFirst())
        guard testShape != trainShape else { return }
        let testFile = (try? files(directory: testDirectory, prefixes: ["t10k", "test"]).images) ?? testDirectory
        let trainFile = (try? files(directory: trainDirectory, prefixes: ["train"]).images) ?? trainDirectory
        throw DataError.invalidFormat(
            file: testFile, reason: "test images are \(shapeText(testShape)), but the training images (\(trainFile)) are \(shapeText(trainShape))")
    }

    /// `1×28×28` for `[1, 28, 28]`.
    static func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }

    static func hasFiles(_ directory: String, prefix: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.contains { $0.hasPrefix("\(prefix)-images") }
    }

    /// The images and labels of the first prefix with an images file in `directory` (labels may be absent
    /// for prediction: they are then all zero and `labels` of the inputs is nil upstream).
    static func load(directory: String, prefixes: [String]) throws -> TensorDataset {
        let found = try files(directory: directory, prefixes: prefixes)
        return try IDXDataset.load(images: found.images, labels: found.labels)
    }

    /// The images file of the first prefix that has one in `directory`, and the labels file beside it.
    static func files(directory: String, prefixes: [String]) throws -> (images: String, labels: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.unreadable(file: directory, reason: "not a directory of IDX files")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for prefix in prefixes {
            guard let images = names.sorted().first(where: { $0.hasPrefix("\(prefix)-images") }) else { continue }
            let labelName = images.replacingOccurrences(of: "images", with: "labels").replacingOccurrences(of: "idx3", with: "idx1")
            let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
            return (path(images), path(labelName))
        }
        throw DataError.unreadable(file: directory, reason: "no \(prefixes.map { "\($0)-images-idx3-ubyte[.gz]" }.joined(separator: " or ")) in it")
    }
}
