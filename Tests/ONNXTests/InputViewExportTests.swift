import Foundation
import Layers
import ONNX
import ONNXReference
import Tensor
import Testing

/// Several views of each image in one graph: ONNX Runtime's probabilities are the mean of
/// Fathom's over the views, computed here by applying each view with plain loops.
@Suite struct InputViewExportTests {
    /// `rows · x · columns + offset` on every channel of `[N, C, H, W]` images, by loops.
    static func applied(_ view: ONNXInputView, to images: Tensor) -> Tensor {
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let x = images.scalars
        let rows = view.rows?.scalars, columns = view.columns?.scalars, offset = view.offset?.scalars
        var out = [Float](repeating: 0, count: x.count)
        for plane in 0..<(n * c) {
            let base = plane * h * w
            var mixed = [Float](repeating: 0, count: h * w)
            for i in 0..<h {
                for j in 0..<w {
                    mixed[i * w + j] = rows.map { r in (0..<h).reduce(0) { $0 + r[i * h + $1] * x[base + $1 * w + j] } } ?? x[base + i * w + j]
                }
            }
            for i in 0..<h {
                for j in 0..<w {
                    let v = columns.map { m in (0..<w).reduce(0) { $0 + mixed[i * w + $1] * m[$1 * w + j] } } ?? mixed[i * w + j]
                    out[base + i * w + j] = v + (offset?[i * w + j] ?? 0)
                }
            }
        }
        return Tensor(shape: images.shape, scalars: out)
    }

    /// The `size`×`size` matrix that reverses an axis.
    static func reversal(_ size: Int) -> Tensor {
        Tensor(shape: [size, size], scalars: (0..<(size * size)).map { $0 / size + $0 % size == size - 1 ? 1 : 0 })
    }

    @Test func probabilitiesAreTheMeanOverViews() throws {
        var rng = RandomGenerator(seed: 31)
        let model = Sequential(Conv2D(2, 4, kernelSize: 3, generator: &rng), ReLU(), GlobalAvgPool2D(), Linear(4, 3, generator: &rng))
        model.eval()
        let views = [ONNXInputView.identity, ONNXInputView(columns: Self.reversal(6)),
                     ONNXInputView(rows: Self.reversal(5), offset: Tensor.uniform([5, 6], low: -1, high: 1, generator: &rng))]
        let images = Tensor.normal([4, 2, 5, 6], generator: &rng)
        let exported = try ONNXModel(exporting: model, inputShape: [2, 5, 6],
                                     options: ONNXExportOptions(probabilities: .softmax, inputViews: views))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-onnx-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: file) }
        try exported.write(to: file)
        let result = try ONNXRuntimeCheck.run(model: file, inputs: ["image": images])

        let perView = withoutGradients { views.map { model(Self.applied($0, to: images)) } }
        let mean = perView.map { $0.softmax(alongAxis: 1) }.reduce(Tensor.zeros([4, 3]), +) / Tensor(Float(views.count))
        let logits = try #require(result.outputs["logits"]), probabilities = try #require(result.outputs["probabilities"])
        #expect(ONNXRuntimeCheck.largestRelativeError(logits, perView[0]) <= ONNXReferenceSupport.tolerance)
        #expect(ONNXRuntimeCheck.largestRelativeError(probabilities, mean) <= ONNXReferenceSupport.tolerance)
        #expect(ONNXRuntimeCheck.largestRelativeError(probabilities, perView[0].softmax(alongAxis: 1)) > 1e-3,
                "the views must change the probabilities, or this test shows nothing")
    }

    @Test func viewOfTheWrongSizeIsATypedError() {
        let options = ONNXExportOptions(inputViews: [ONNXInputView(columns: Tensor.zeros([4, 4]))])
        #expect(throws: ONNXExportError.invalidInputView(index: 0, reason: "columns has shape [4, 4], the input needs [6, 6]")) {
            try ONNXModel(exporting: Sequential(GlobalAvgPool2D()), inputShape: [1, 5, 6], options: options)
        }
    }
}
