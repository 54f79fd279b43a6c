import Foundation
import Tensor

/// A non-trainable tensor that belongs to a module's state, such as batch-norm running
/// statistics: saved in state dictionaries, never updated by optimizers.
///
/// A reference (like ``Parameter``), so the module and a state-dictionary loader see the same
/// values. Reads and writes are serialized by a lock: a training step may update running
/// statistics while another thread reads them without tearing the tensor.
public final class Buffer: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Tensor

    /// A buffer holding `value` (detached from any tape).
    public init(_ value: Tensor) {
        stored = value.detached()
    }

    /// The current values. Assigning keeps the shape (a precondition names both shapes).
    public var value: Tensor {
        get { lock.withLock { stored } }
        set {
            lock.withLock {
                precondition(newValue.shape == stored.shape,
                             "Buffer.value: new shape \(newValue.shape) differs from \(stored.shape)")
                stored = newValue.detached()
            }
        }
    }

    /// The shape of the buffer.
    public var shape: [Int] { lock.withLock { stored.shape } }
}
