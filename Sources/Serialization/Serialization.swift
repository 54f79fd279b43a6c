// Shared internals of the file formats (NPY, NPZ, safetensors): bounds-checked byte reading,
// file I/O, zlib. Public entry points live in `NPY`, `NPZ`, `NPZArchive`, `SafeTensors`, `PyTorchCheckpoint`.

import Tensor

// Every format here is little-endian, and the conversions copy element bytes straight into
// native scalars. A big-endian host would need byte swaps everywhere; refuse to build there
// rather than read garbage.
#if _endian(big)
#error("Fathom's serialization code assumes a little-endian host")
#endif

/// Namespace for the internal helpers shared by the serialization formats.
enum SerializationSupport {}
