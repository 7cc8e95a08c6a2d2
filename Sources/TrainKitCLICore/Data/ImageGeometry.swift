import TrainKit

/// Checks, before the first epoch, that the images fit the convolution stages `model.channels` configures.
///
/// - `cnn`: every entry of `channels` is a 5×5 same-padded convolution and a 2×2 max pool, which halves the
///   height and width (rounding down); `k` stages need images of at least `2^k × 2^k` pixels.
/// - `resnet`: the stem keeps the size and every stage after the first halves it (rounding up), so any size
///   works; but batch norm then sees one value per channel when the last map is 1×1 and a batch has one image,
///   so `training.batch_size: 1` needs a last map larger than 1×1.
///
/// Other model kinds flatten the images and have no size limit.
enum ImageGeometry {
    /// - Throws: ``ConfigError`` naming `model.channels` (and `training.batch_size` for resnet) and the image size.
    static func check(_ config: RunConfig, images: ImagePreprocessing?) throws {
        guard let shape = images?.imageShape, shape.count == 3 else { return }
        let (height, width) = (shape[1], shape[2])
        let size = "\(height)×\(width)"
        switch config.model.kind {
        case .cnn:
            let stages = (config.model.channels ?? [32, 64]).count
            let (h, w) = featureMap(height, width, halvings: stages, roundingUp: false)
            guard h < 1 || w < 1 else { return }
            let needed = stages < 62 ? "\(1 << stages)×\(1 << stages)" : "2^\(stages) pixels a side"
            throw ConfigError.invalidValue(
                path: "model.channels",
                reason: "has \(stages) \(stages == 1 ? "entry" : "entries"), each a convolution stage that halves the image, so the images must be at least \(needed) pixels, but they are \(size); use fewer entries or larger images",
                location: nil)
        case .resnet:
            let stages = (config.model.channels ?? [16, 32, 64]).count
            let (h, w) = featureMap(height, width, halvings: stages - 1, roundingUp: true)
            guard h * w == 1, config.training.batchSize == 1 else { return }
            throw ConfigError.invalidValue(
                path: "training.batch_size",
                reason: "1 cannot train a resnet whose last stage sees 1×1 maps (images \(size), \(stages) stages in model.channels): batch norm needs two or more values per channel; set batch_size >= 2 or use fewer stages",
                location: nil)
        default:
            return
        }
    }

    /// The height and width after `halvings` halvings (stopping early at 0).
    static func featureMap(_ height: Int, _ width: Int, halvings: Int, roundingUp: Bool) -> (Int, Int) {
        var (h, w) = (height, width)
        for _ in 0..<Swift.max(halvings, 0) where h > 0 && w > 0 {
            (h, w) = roundingUp ? ((h + 1) / 2, (w + 1) / 2) : (h / 2, w / 2)
        }
        return (h, w)
    }
}
