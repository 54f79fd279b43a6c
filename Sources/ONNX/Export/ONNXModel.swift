import Foundation
import Layers
import Tensor

/// A Fathom module exported as an ONNX model (opset 17, IR version 8): one input
/// `[N, C, H, W]` with a dynamic batch `N`, the logits `[N, classes]` and optionally their
/// probabilities, the weights as initializers named by their state-dictionary names.
///
/// ```swift
/// let model = ResNet.resnet18(inputChannels: 1, classCount: 2)
/// let onnx = try ONNXModel(exporting: model, inputShape: [1, 224, 224],
///                          options: ONNXExportOptions(probabilities: .softmax))
/// try onnx.write(to: URL(fileURLWithPath: "resnet18.onnx"))
/// ```
///
/// The spatial size is fixed by `inputShape` (TensorFlow SAME padding and adaptive pooling are
/// resolved for it); the batch is free. With ``ONNXExportOptions/inputViews`` the network runs
/// once on every view of each image, stacked along the batch axis, and the probabilities are
/// averaged over the views.
public struct ONNXModel: Sendable {
    /// The operator set the graph uses (`ai.onnx` 17: Clip bounds as inputs, BatchNormalization-15).
    public static let opsetVersion = 17
    /// The IR version that goes with opset 17.
    public static let irVersion = 8
    /// Protobuf's limit on one serialized message.
    static let maximumBytes = Int(Int32.max)

    private let proto: ModelProto
    /// The options the model was exported with.
    public let options: ONNXExportOptions
    /// The input's shape after the batch axis, `[C, H, W]`.
    public let inputShape: [Int]
    /// The logits' shape after the batch axis.
    public let outputShape: [Int]

    /// Exports `module`'s eval-mode computation for inputs `[N] + inputShape`.
    /// - Throws: ``ONNXExportError`` naming the first module that has no ONNX form, or a bad shape.
    public init(exporting module: Module, inputShape: [Int], options: ONNXExportOptions = ONNXExportOptions()) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else { throw ONNXExportError.invalidInputShape(inputShape) }
        var graph = ONNXGraphBuilder(root: module, inputName: options.inputName)
        let input = ONNXValue(name: options.inputName, featureShape: inputShape)
        let views = options.inputViews
        var scores = try graph.export(module, views.isEmpty ? input : try graph.stackedViews(input, views))
        if scores == input { scores = graph.node("Identity", [input.name], featureShape: input.featureShape) }
        var logits = scores, probabilities: ONNXValue?
        if views.isEmpty {
            probabilities = options.probabilities.map { Self.probabilities(scores, $0, axis: 1, in: &graph) }
        } else {
            let grouped = try graph.groupedByView(scores, viewCount: views.count)
            logits = graph.firstView(grouped)
            if let kind = options.probabilities {
                let perView = Self.probabilities(grouped, kind, axis: 2, in: &graph)
                probabilities = graph.meanOverViews(perView)
            }
        }
        if let calibration = options.calibration, let raw = probabilities {
            guard raw.featureShape == [2] else { throw ONNXExportError.invalidCalibration(classes: raw.featureShape) }
            probabilities = graph.calibrated(raw, calibration)
        }
        var outputs = [graph.rename(logits, to: options.logitsName)]
        if let probabilities { outputs.append(graph.rename(probabilities, to: options.probabilitiesName)) }
        let batch = ValueInfoProto.Dimension.parameter(options.batchDimensionName)
        func info(_ value: ONNXValue) -> ValueInfoProto {
            ValueInfoProto(name: value.name, dimensions: [batch] + value.featureShape.map { .value($0) })
        }
        let graphProto = GraphProto(name: String(describing: type(of: module)), nodes: graph.nodes,
                                    initializers: graph.initializers, inputs: [info(input)], outputs: outputs.map(info))
        proto = ModelProto(irVersion: Self.irVersion, producerName: "Fathom", producerVersion: "",
                           docString: options.documentation, graph: graphProto,
                           opsetImports: [OperatorSetIdProto(domain: "", version: Self.opsetVersion)],
                           metadataProps: options.metadata.sorted { $0.key < $1.key }.map { StringStringEntryProto(key: $0.key, value: $0.value) })
        self.options = options
        self.inputShape = inputShape
        outputShape = outputs[0].featureShape
    }

    /// `Softmax` along `axis`, or `Sigmoid`, of `scores`.
    private static func probabilities(_ scores: ONNXValue, _ kind: ONNXExportOptions.Probabilities, axis: Int,
                                      in graph: inout ONNXGraphBuilder) -> ONNXValue {
        switch kind {
        case .softmax: graph.elementwise("Softmax", scores, [.int("axis", axis)])
        case .sigmoid: graph.elementwise("Sigmoid", scores)
        }
    }

    /// The operators of the graph in order (`Conv`, `BatchNormalization`, …).
    public var operators: [String] { proto.graph.nodes.map(\.opType) }

    /// The initializers' names, in the order they were added.
    public var initializerNames: [String] { proto.graph.initializers.map(\.name) }

    /// The model in the protobuf wire format: the bytes of a `.onnx` file.
    /// - Throws: ``ONNXExportError/modelTooLarge(bytes:)`` past protobuf's 2 GiB.
    public func serialized() throws -> [UInt8] {
        let weights = proto.graph.initializers.reduce(0) { $0 + $1.byteCount }
        guard weights < Self.maximumBytes else { throw ONNXExportError.modelTooLarge(bytes: weights) }
        var writer = ProtobufWriter()
        proto.encode(to: &writer)
        guard writer.bytes.count <= Self.maximumBytes else { throw ONNXExportError.modelTooLarge(bytes: writer.bytes.count) }
        return writer.bytes
    }

    /// Writes the `.onnx` file atomically.
    /// - Throws: ``ONNXExportError/io(path:reason:)`` naming the file, or ``ONNXExportError/modelTooLarge(bytes:)``.
    public func write(to url: URL) throws {
        let bytes = try serialized()
        do { try Data(bytes).write(to: url, options: .atomic) } catch {
            throw ONNXExportError.io(path: url.path, reason: error.localizedDescription)
        }
    }
}
