import Foundation
import Layers
import ONNX
import Tensor
import Testing

/// A module that has no ONNX form.
final class Doubler: Module {
    override func forward(_ input: Tensor) -> Tensor { input * 2 }
}

/// What the exporter refuses, and how it says so.
@Suite struct ExportErrorTests {
    @Test func unknownModuleIsNamedWithItsStatePath() {
        var rng = RandomGenerator(seed: 1)
        let model = Sequential(Conv2D(1, 2, kernelSize: 3, generator: &rng), Sequential(ReLU(), Doubler()))
        #expect(throws: ONNXExportError.unsupportedModule(
            type: "Doubler", path: "1.1", reason: "no ONNX form is defined for this module type (conform it to ONNXExportable)")) {
            try ONNXModel(exporting: model, inputShape: [1, 8, 8])
        }
    }

    @Test func batchNormWithoutRunningStatisticsIsRefused() throws {
        let model = Sequential(BatchNorm2D(3, tracksRunningStatistics: false))
        let error = try #require(throws: ONNXExportError.self) { try ONNXModel(exporting: model, inputShape: [3, 4, 4]) }
        #expect("\(error)".contains("BatchNorm2D at '0'"), "\(error)")
    }

    @Test func wrongInputShapesAreTypedErrors() {
        var rng = RandomGenerator(seed: 2)
        #expect(throws: ONNXExportError.invalidInputShape([3, 0, 4])) {
            try ONNXModel(exporting: ReLU(), inputShape: [3, 0, 4])
        }
        let model = Sequential(Conv2D(3, 4, kernelSize: 1, generator: &rng))
        #expect(throws: ONNXExportError.shapeMismatch(path: "0", expected: "[N, 3, H, W]", found: [1, 5, 5])) {
            try ONNXModel(exporting: model, inputShape: [1, 5, 5])
        }
    }

    @Test func unwritablePathNamesTheFile() throws {
        let exported = try ONNXModel(exporting: Identity(), inputShape: [1, 2, 2])
        let url = URL(fileURLWithPath: "/nonexistent-folder/model.onnx")
        let error = try #require(throws: ONNXExportError.self) { try exported.write(to: url) }
        #expect("\(error)".contains("/nonexistent-folder/model.onnx"))
    }
}
