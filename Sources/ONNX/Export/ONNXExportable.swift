import Layers

/// A module that can write its eval-mode computation as ONNX nodes.
///
/// Fathom's layers and zoo networks conform (in this module, so the core libraries do not
/// depend on it); a custom module conforms by composing the builder's operations and its
/// sublayers' exports:
///
/// ```swift
/// extension MyBlock: ONNXExportable {
///     public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
///         graph.relu(try graph.export(body, input))
///     }
/// }
/// ```
///
/// The export expresses the plain math of inference — batch norm with running statistics,
/// dropout removed — whatever mode the module is in (the fusions of `FusedModel` are Fathom's
/// runtime's, not the graph's: ONNX Runtime makes its own).
public protocol ONNXExportable: Module {
    /// Appends the nodes that compute this module's output for `input` and returns the output.
    /// - Throws: ``ONNXExportError`` when a part cannot be expressed.
    func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue
}
