import ArgumentParser
import Foundation
import Serialization
import Tensor

/// `pneumonia convert`: a PyTorch checkpoint to safetensors, once, so that later runs read a
/// format that needs no unpickler.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a PyTorch checkpoint (.pth, zip or legacy format) to a safetensors file.",
        discussion: """
            The checkpoint is read by Fathom's restricted unpickler, which executes no code. Tensors keep their names \
            and layout and become float32; batch norm's num_batches_tracked counters are dropped. The output is written \
            atomically.
            """)

    @Argument(help: "The PyTorch checkpoint, e.g. efficientnet-lite0-57934424.pth.")
    var input: String

    @Argument(help: "The safetensors file to write.")
    var output: String

    func run() throws {
        let source = URL(fileURLWithPath: (input as NSString).expandingTildeInPath)
        let destination = URL(fileURLWithPath: (output as NSString).expandingTildeInPath)
        guard source.standardizedFileURL != destination.standardizedFileURL else {
            throw ValidationError("the output must differ from the input")
        }
        let names = try PyTorchCheckpoint.convert(from: source, to: destination,
                                                  metadata: ["fathom.converted_from": source.lastPathComponent])
        // Reading the result back both verifies it and gives the counts.
        let written = try SafeTensors.read(from: destination)
        var values = 0, statistics = 0
        for name in names {
            let count = written[name]?.scalarCount ?? 0
            values += count
            if name.hasSuffix("running_mean") || name.hasSuffix("running_var") { statistics += count }
        }
        print("wrote \(destination.path): \(names.count) tensors, \(values - statistics) parameters "
            + "(+ \(statistics) batch-norm running statistics)")
    }
}
