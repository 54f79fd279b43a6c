import Foundation
import Serialization
import Tensor

/// Loading ImageNet weights published by others into the zoo's networks: reads safetensors or
/// PyTorch checkpoints, maps names, converts layouts, and says what it could not place.
///
/// ```swift
/// let model = EfficientNetLite(inputChannels: 3, classCount: 1000)
/// let report = try PretrainedWeights.load(into: model, from: pthURL, layout: .pytorch)
/// precondition(report.isComplete, "\(report)")
/// ```
///
/// - ``PretrainedLayout/pytorch``: tensors are placed by name; `num_batches_tracked` counters
///   are ignored (Fathom's batch norm keeps none).
/// - ``PretrainedLayout/tensorFlowLite``: names carry only the operator's position, so the
///   mapping is derived from order: the file's convolutions sorted by position are paired with
///   the model's `Conv2D` and `Linear` layers in module order (stem, blocks, head, classifier),
///   which is the order of the graph. OHWI weights become OIHW, depthwise 1HWC weights C1HW,
///   and a final 1×1 convolution `[O, 1, 1, I]` becomes a linear `[O, I]`. Any disagreement in
///   the pairing shows up as a shape mismatch, so a wrong architecture cannot load silently.
///
/// Shape mismatches throw ``PretrainedWeightsError/shapeMismatch(file:tensor:parameter:expected:found:)``
/// before anything is written. Everything else is reported, not thrown: the returned
/// `LoadReport` lists model tensors left unset (`missing`) and file tensors that found no place
/// (`unexpected`); ``LoadReport/isComplete`` says whether both are empty.
public enum PretrainedWeights {
    /// The tensors of a safetensors file or a PyTorch checkpoint (`torch.save`, zip or legacy,
    /// read by Fathom's restricted unpickler), told apart by their first bytes.
    /// - Throws: `SerializationError` or `PyTorchCheckpointError` naming the file and the problem.
    public static func read(from url: URL) throws -> [String: Tensor] {
        try isPyTorchCheckpoint(url) ? PyTorchCheckpoint.read(from: url) : SafeTensors.read(from: url).tensors
    }

    /// Reads the file at `url` (see ``read(from:)``) and loads it into `model`; the layout is
    /// detected from the names when `nil` (see ``PretrainedLayout/init(detectingFrom:)``).
    @discardableResult
    public static func load(into model: Module, from url: URL, layout: PretrainedLayout? = nil) throws -> LoadReport {
        let tensors = try read(from: url)
        return try load(into: model, tensors: tensors, layout: layout ?? PretrainedLayout(detectingFrom: tensors.keys),
                        source: url.path)
    }

    /// Loads `tensors` laid out as `layout` into `model`; `source` names them in errors.
    @discardableResult
    public static func load(into model: Module, tensors: [String: Tensor], layout: PretrainedLayout,
                            source: String = "<memory>") throws -> LoadReport {
        let placement: Placement
        switch layout {
        case .pytorch: placement = Placement(byName: tensors)
        case .tensorFlowLite: placement = Placement(tensorFlowLite: tensors, model: model)
        }
        var shapes: [String: [Int]] = [:]
        for (name, parameter) in model.namedParameters() { shapes[name] = parameter.shape }
        for (name, buffer) in model.namedBuffers() { shapes[name] = buffer.shape }
        for name in placement.tensors.keys.sorted() {
            guard let expected = shapes[name], let tensor = placement.tensors[name], tensor.shape != expected else { continue }
            throw PretrainedWeightsError.shapeMismatch(file: source, tensor: placement.sources[name] ?? name, parameter: name,
                                                       expected: expected, found: tensor.shape)
        }
        var report = try model.loadStateDictionary(placement.tensors, strict: false, source: source)
        report.unexpected = (report.unexpected.map { placement.sources[$0] ?? $0 } + placement.unplaced).sorted()
        return report
    }

    /// Whether the file starts like `torch.save` output (a zip archive, or a pickle's PROTO
    /// opcode 0x80) rather than like safetensors (an 8-byte header length, then the JSON
    /// header's `{`). The length's low byte may itself be 0x80, hence the look at byte 8.
    private static func isPyTorchCheckpoint(_ url: URL) throws -> Bool {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw SerializationError.io(path: url.path, reason: "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 9)) ?? Data())
        if head.count == 9, head[8] == UInt8(ascii: "{") { return false }
        return head.first == 0x80 || head.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }
}

/// Where each file tensor goes: model names with their (converted) tensors and the file names
/// they came from, plus the file tensors that have no place.
struct Placement {
    /// Converted tensors by model name.
    var tensors: [String: Tensor] = [:]
    /// The file's name for each model name (where they differ).
    var sources: [String: String] = [:]
    /// File tensors that found no place.
    var unplaced: [String] = []

    /// Every tensor at its own name.
    init(byName tensors: [String: Tensor]) {
        self.tensors = tensors
    }
}
