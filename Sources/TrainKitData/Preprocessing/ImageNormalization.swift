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

    /// Channel means and population standard deviations over `[N, C, H, W]` images.
    public static func fit(_ images: Tensor) -> ImageNormalization {
        let (n, c, h, w) = imageDimensions(images, caller: "ImageNormalization.fit")
        var sums = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c)
        images.withUnsafeBufferPointer(as: Float.self) { x in
            for b in 0..<n {
                for ch in 0..<c {
                    var s = 0.0, q = 0.0
                    let base = (b * c + ch) * h * w
                    for k in 0..<(h * w) {
                        let v = Double(x[base + k])
                        s += v
                        q += v * v
                    }
                    sums[ch] += s
                    squares[ch] += q
                }
            }
        }
        let count = Double(max(n * h * w, 1))
        let mean = sums.map { $0 / count }
        let std = zip(squares, mean).map { q, m in
            let variance = q / count - m * m
            return variance > 1e-24 ? variance.squareRoot() : 1
        }
        return ImageNormalization(mean: mean, std: std)
    }

    public func callAsFunction(_ images: Tensor) -> Tensor {
        let (b, c, h, w) = imageDimensions(images, caller: "ImageNormalization")
        precondition(c == mean.count, "ImageNormalization: fitted on \(mean.count) channels, got images \(images.shape)")
        let scale = std.map { Float(1 / $0) }, shift = mean.map { Float($0) }
        return images.withUnsafeBufferPointer(as: Float.self) { x in
            Tensor.make(shape: images.shape, as: Float.self) { out in
                for plane in 0..<(b * c) {
                    let ch = plane % c, base = plane * h * w
                    for k in 0..<(h * w) { out[base + k] = (x[base + k] - shift[ch]) * scale[ch] }
                }
            }
        }
    }

    /// Normalization is deterministic; the key is ignored.
    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor { self(images) }
}
