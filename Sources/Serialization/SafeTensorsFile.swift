/// The contents of a `.safetensors` file, every tensor converted to Float32.

import Tensor
public struct SafeTensorsFile: Sendable {
    /// The tensor names in file order (by position of their data).
    public let names: [String]
    /// The tensors by name.
    public let tensors: [String: Tensor]
    /// The element type each tensor had in the file, before conversion to Float32.
    public let dtypes: [String: SerializedDType]
    /// The free-form string map stored under `__metadata__` (empty if absent).
    public let metadata: [String: String]

    /// Bundles decoded contents; `names` must list exactly the keys of `tensors`.
    public init(names: [String], tensors: [String: Tensor], dtypes: [String: SerializedDType], metadata: [String: String]) {
        precondition(names.count == tensors.count && names.allSatisfy { tensors[$0] != nil },
                     "SafeTensorsFile: names do not match the tensors")
        self.names = names
        self.tensors = tensors
        self.dtypes = dtypes
        self.metadata = metadata
    }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? { tensors[name] }
}
