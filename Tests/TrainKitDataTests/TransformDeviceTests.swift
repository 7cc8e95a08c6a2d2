import Testing
import TrainKitCore
@testable import TrainKitData

// Tensor-to-tensor transforms are tensor ops: run on the reference device, they leave their results there
// and give the CPU's values.

private let images = Tensor.uniform([3, 2, 4, 5], key: RandomKey(seed: 7))

/// Runs `transform` on the CPU and on the reference device and expects equal values, the second on its device.
private func expectSameOnReference(_ label: String, _ input: Tensor, _ transform: (Tensor) -> Tensor) {
    let cpu = transform(input)
    let reference = transform(input.to(device: .reference))
    #expect(reference.device == .reference, "\(label) left the reference device")
    #expect(reference.shape == cpu.shape && reference.toArray() == cpu.toArray(), "\(label)")
}

@Test func imageTransformsStayOnTheImagesDevice() {
    let key = RandomKey(seed: 8)
    expectSameOnReference("RandomCrop", images) { RandomCrop(height: 3, width: 4, padding: 2, fill: 0.5)($0, key: key) }
    expectSameOnReference("RandomHorizontalFlip", images) { RandomHorizontalFlip()($0, key: key) }
    let normalize = ImageNormalization.fit(images)
    #expect(ImageNormalization.fit(images.to(device: .reference)) == normalize)
    expectSameOnReference("ImageNormalization", images) { normalize($0) }
}

@Test func scalersAndGatherStayOnTheDataDevice() {
    let x = Tensor([1, .nan, 2, 4, 6, 8] as [Float], shape: [3, 2])
    let standard = StandardScaler.fit(x), minMax = MinMaxScaler.fit(x, range: -1...1)
    #expect(StandardScaler.fit(x.to(device: .reference)) == standard)
    #expect(MinMaxScaler.fit(x.to(device: .reference), range: -1...1) == minMax)
    // NaNs are ignored when fitting: feature 1 is 4, 8 (mean 6, std 2, range 4...8).
    #expect(standard.mean == [3, 6] && standard.std[1] == 2 && minMax.minimum == [1, 4] && minMax.maximum == [6, 8])
    expectSameOnReference("StandardScaler", x.narrow(0, start: 1, length: 2)) { standard.transform($0) }
    expectSameOnReference("MinMaxScaler", x.narrow(0, start: 1, length: 2)) { minMax.inverseTransform($0) }
    expectSameOnReference("gatheredRows", images) { $0.gatheredRows([2, 0, 2]) }
}

/// A crop window with padding by hand: one 1×2×2 image padded by 1, so each 2×2 window sees part of it.
@Test func randomCropWindowsArePaddedImagesShifted() {
    let image = Tensor([1, 2, 3, 4] as [Float], shape: [1, 1, 2, 2])
    let crop = RandomCrop(size: 2, padding: 1, fill: 9)
    // Every 2×2 window of the padded [[9,9,9,9],[9,1,2,9],[9,3,4,9],[9,9,9,9]] for seeds 0..<20.
    let padded: [Float] = [9, 9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9, 9, 9, 9]
    let windows = (0..<3).flatMap { top in
        (0..<3).map { left in [0, 1, 4, 5].map { padded[top * 4 + left + $0] } }
    }
    for seed in 0..<20 {
        #expect(windows.contains(crop(image, key: RandomKey(seed: UInt64(seed))).toArray()))
    }
}
