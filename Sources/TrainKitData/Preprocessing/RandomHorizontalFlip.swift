import TrainKitCore

/// Mirrors each image left to right with probability `p` (torchvision's `RandomHorizontalFlip`),
/// deciding per image from the key: `y[b, c, i, j] = x[b, c, i, W - 1 - j]` for flipped images.
///
/// Shapes: `[B, C, H, W] -> [B, C, H, W]`.
public struct RandomHorizontalFlip: ImageTransform {
    public let p: Double

    public init(p: Double = 0.5) {
        precondition((0...1).contains(p), "RandomHorizontalFlip: p must be in [0, 1], got \(p)")
        self.p = p
    }

    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor {
        let (b, c, h, w) = imageDimensions(images, caller: "RandomHorizontalFlip")
        var generator = KeyedGenerator(key)
        let flips = (0..<b).map { _ in Double(generator.next() >> 11) * 0x1p-53 < p }
        return images.withUnsafeBufferPointer(as: Float.self) { x in
            Tensor.make(shape: images.shape, as: Float.self) { out in
                for n in 0..<b {
                    for row in 0..<(c * h) {
                        let base = (n * c * h + row) * w
                        if flips[n] {
                            for j in 0..<w { out[base + j] = x[base + w - 1 - j] }
                        } else {
                            for j in 0..<w { out[base + j] = x[base + j] }
                        }
                    }
                }
            }
        }
    }
}
