import TrainKitCore

/// Per-channel normalization of images: `y[b, c, i, j] = (x[b, c, i, j] - mean[c]) / std[c]`
/// (torchvision's `Normalize`). Fit the statistics on training images, or give known ones
/// (MNIST: mean 0.1307, std 0.3081). `Codable`, so prediction uses the training numbers.
///
/// Shapes: `[B, C, H, W] -> [B, C, H, W]`.
///
/// ```swift
/// let normalize = ImageNormalization.fit(train.features)   // per-channel mean and std
/// let x = normalize(batch.features)
/// ```
public struct ImageNormalization: Codable, Sendable, Equatable, ImageTransform {
    public var mean: [Double]
    public var std: [Double]

    public init(mean: [Double], std: [Double]) {
        precondition(mean.count == std.count && std.allSatisfy { $0 > 0 },
                     "ImageNormalization: needs one positive std per mean, got mean \(mean), std \(std)")
        self.mean = mean
        self.std = std
    }

    /// Channel means and population standard deviations over `[N, C, H, W]` images: `E[x]` and
    /// `√(E[x²] - E[x]²)` per channel in float64 on the images' device (a constant channel keeps std 1); the
    /// `C` numbers come to the host once.
    public static func fit(_ images: Tensor) -> ImageNormalization {
        let (n, _, h, w) = imageDimensions(images, caller: "ImageNormalization.fit")
        let x = images.detach().to(.float64)
        let dims = [0, 2, 3]
        guard n * h * w > 0 else {
            return ImageNormalization(mean: .init(repeating: 0, count: images.shape[1]),
                                      std: .init(repeating: 1, count: images.shape[1]))
        }
        let mean = x.mean(dims).toArray(as: Double.self)
        let meanSquare = x.square().mean(dims).toArray(as: Double.self)
        let std = zip(meanSquare, mean).map { q, m in
            let variance = q - m * m
            return variance > 1e-24 ? variance.squareRoot() : 1
        }
        return ImageNormalization(mean: mean, std: std)
    }

    /// `(x - mean[c]) · (1/std[c])` in float32, with the per-channel numbers broadcast over `[B, C, H, W]`.
    public func callAsFunction(_ images: Tensor) -> Tensor {
        let (_, c, _, _) = imageDimensions(images, caller: "ImageNormalization")
        precondition(c == mean.count, "ImageNormalization: fitted on \(mean.count) channels, got images \(images.shape)")
        let shift = Tensor(mean.map { Float($0) }, shape: [1, c, 1, 1], device: images.device)
        let scale = Tensor(std.map { Float(1 / $0) }, shape: [1, c, 1, 1], device: images.device)
        return (images - shift) * scale
    }

    /// Normalization is deterministic; the key is ignored.
    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor { self(images) }
}
