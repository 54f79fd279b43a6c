import Tensor
import Testing
import Vision

@Suite("Image ↔ Tensor")
struct ImageTensorTests {
    @Test func producesCHWFloats() {
        // 2×1 RGB: pixel 0 = (0, 51, 255), pixel 1 = (102, 153, 204).
        let image = Image(width: 2, height: 1, colorModel: .rgb, pixels: [0, 51, 255, 102, 153, 204] as [UInt8])
        let unit = Tensor(image: image)
        #expect(unit.shape == [3, 1, 2])
        #expect(unit.isAlmostEqual(to: Tensor(shape: [3, 1, 2], scalars: [0, 0.4, 0.2, 0.6, 1, 0.8]), tolerance: 1e-6))
        let raw = Tensor(image: image, scale: .raw)
        #expect(raw.scalars == [0, 102, 51, 153, 255, 204])
        let deep = Tensor(image: Image(width: 1, height: 1, colorModel: .gray, pixels: [65535] as [UInt16]))
        #expect(deep.scalars == [1])
    }

    @Test func convertsGrayToRGBOnRequest() {
        let gray = Image(width: 3, height: 2, colorModel: .gray, pixels: [0, 10, 20, 30, 40, 255] as [UInt8])
        let tensor = Tensor(image: gray, colorModel: .rgb, scale: .raw)
        #expect(tensor.shape == [3, 2, 3])
        #expect(tensor.scalars == Array(repeating: [0, 10, 20, 30, 40, 255] as [Float], count: 3).flatMap { $0 })
        let back = Image(tensor: tensor, scale: .raw)
        #expect(back.colorModel == .rgb && back.convertedToGray() == gray)
    }

    @Test("Image → Tensor → Image is exact", arguments: Image.ColorModel.allCases, [8, 16])
    func roundTrip(colorModel: Image.ColorModel, bitDepth: Int) {
        let image = CodecTestSupport.randomImage(width: 13, height: 7, colorModel: colorModel, bitDepth: bitDepth, seed: 5)
        #expect(Image(tensor: Tensor(image: image), bitDepth: bitDepth) == image)
        #expect(Image(tensor: Tensor(image: image, scale: .raw), bitDepth: bitDepth, scale: .raw) == image)
    }

    @Test func clampsAndRounds() {
        let tensor = Tensor(shape: [2, 3], scalars: [-0.5, .nan, 0.5, 1.5, 0.001, 0.999])
        let image = Image(tensor: tensor)
        #expect(image.colorModel == .gray && image.width == 3 && image.height == 2)
        // 0.5·255 = 127.5 rounds up; 0.001·255 = 0.255 rounds down; 0.999·255 = 254.7 up.
        #expect(image == Image(width: 3, height: 2, colorModel: .gray, pixels: [0, 0, 128, 255, 0, 255] as [UInt8]))
        let deep = Image(tensor: tensor, bitDepth: 16)
        #expect(deep[x: 2, y: 0, channel: 0] == 32768 && deep[x: 0, y: 1, channel: 0] == 65535)
    }
}
