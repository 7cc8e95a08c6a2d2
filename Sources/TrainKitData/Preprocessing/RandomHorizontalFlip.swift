import TrainKitCore

/// Mirrors each image left to right with probability `p` (torchvision's `RandomHorizontalFlip`),
/// deciding per image from the key: `y[b, c, i, j] = x[b, c, i, W - 1 - j]` for flipped images.
///
/// Shapes: `[B, C, H, W] -> [B, C, H, W]`. Tensor ops on the images' device: the mirror is `indexSelect`
/// with the reversed column index, and a per-image `where` picks it for the flipped images.
public struct RandomHorizontalFlip: ImageTransform {
    public let p: Double

    public init(p: Double = 0.5) {
        precondition((0...1).contains(p), "RandomHorizontalFlip: p must be in [0, 1], got \(p)")
        self.p = p
    }

    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor {
        let (b, _, _, w) = imageDimensions(images, caller: "RandomHorizontalFlip")
        var generator = KeyedGenerator(key)
        let flips = (0..<b).map { _ in Double(generator.next() >> 11) * 0x1p-53 < p }
        guard flips.contains(true) else { return images }
        let reversed = Tensor(Array((0..<w).reversed()), shape: [w], device: images.device)
        let mirrored = images.indexSelect(3, reversed)
        if !flips.contains(false) { return mirrored }
        return Tensor.where(Tensor(flips, shape: [b, 1, 1, 1], device: images.device), mirrored, images)
    }
}
