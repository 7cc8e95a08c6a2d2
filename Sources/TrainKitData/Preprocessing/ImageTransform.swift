import TrainKitCore

/// A transform of a batch of images `[B, C, H, W]` (float32) that may draw random numbers from a key.
///
/// Randomness comes only from `key`, so with ``DataLoader``'s per-batch keys an augmented run is
/// reproducible and resumes exactly.
public protocol ImageTransform: Sendable {
    func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor
}

/// Transforms applied in order, each with its own key split from the batch key.
///
/// ```swift
/// let augment = ImageTransforms([RandomCrop(size: 28, padding: 4), RandomHorizontalFlip()])
/// let loader = DataLoader(train, batchSize: 64, shuffle: true, seed: 0, transform: augment.batchTransform)
/// ```
public struct ImageTransforms: ImageTransform {
    public let transforms: [any ImageTransform]

    public init(_ transforms: [any ImageTransform]) { self.transforms = transforms }

    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor {
        let keys = key.split(max(transforms.count, 1))
        var x = images
        for (t, k) in zip(transforms, keys) { x = t(x, key: k) }
        return x
    }

    /// A ``DataLoader`` transform applying these to each batch's features.
    public var batchTransform: @Sendable (Batch, RandomKey) -> Batch {
        let transform = self
        return { batch, key in Batch(features: transform(batch.features, key: key), labels: batch.labels) }
    }
}

/// Checks a `[B, C, H, W]` float32 batch and returns its dimensions.
func imageDimensions(_ images: Tensor, caller: String) -> (b: Int, c: Int, h: Int, w: Int) {
    precondition(images.rank == 4 && images.dtype == .float32,
                 "\(caller): expects float32 images [B, C, H, W], got \(images.dtype) \(images.shape)")
    return (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
}
