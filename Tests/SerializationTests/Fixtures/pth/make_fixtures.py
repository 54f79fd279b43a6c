#!/usr/bin/env python3
"""Writes the tiny PyTorch checkpoint fixtures of PyTorchCheckpoint*Tests.swift.

PyTorch is not needed (nor installed): a fake `torch` module, just big enough for Python's
own pickler to name the same globals `torch.save` names, stands in for it, and the two
container layouts of `torch.save` are written here by hand:

- zip (PyTorch >= 1.6): `<prefix>/data.pkl`, `<prefix>/data/<key>` (64-byte aligned, as
  torch aligns them), `<prefix>/version`, `<prefix>/byteorder`;
- legacy: pickles of the magic number, protocol version 1001 and system info, the object
  pickle, the sorted storage keys, then each storage as an int64 element count + raw bytes.

The tensors are views chosen to exercise the reader: a transposed (non-contiguous) view at
an offset, a contiguous view at an offset sharing the same storage, a 3-D permutation, a
broadcast view (stride 0) and an int64 scalar. Storage 0 holds (i - 5) / 4 for i in 0..<12,
a formula the Swift tests recompute on their own. Run from anywhere:

    python3 Tests/TensorTests/Fixtures/pth/make_fixtures.py
"""
import collections
import io
import os
import pickle
import pickletools
import struct
import sys
import types
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# --- A fake torch: module objects whose attributes are what pickle looks up by name. ---------
torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _rebuild_tensor_v2(*args):
    raise AssertionError("never called: only pickled by name")


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2

STORAGE_FORMATS = {  # torch storage class -> struct format of one element
    "FloatStorage": "f", "DoubleStorage": "d", "HalfStorage": "e", "BFloat16Storage": "H",
    "LongStorage": "q", "IntStorage": "i", "ShortStorage": "h", "CharStorage": "b",
    "ByteStorage": "B", "BoolStorage": "?",
}
for _name in STORAGE_FORMATS:
    setattr(torch, _name, type(_name, (), {"__module__": "torch"}))


class Storage:
    """A typed storage: `values` packed little-endian with the class's struct format."""

    def __init__(self, key, class_name, values):
        self.key, self.cls, self.values = key, getattr(torch, class_name), list(values)
        self.format = STORAGE_FORMATS[class_name]

    def raw(self):
        return struct.pack("<%d%s" % (len(self.values), self.format), *self.values)


class Tensor:
    """Pickles exactly as torch.Tensor does: `_rebuild_tensor_v2(storage, offset, size, stride,
    requires_grad, backward_hooks)`."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2,
                (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


class CheckpointPickler(pickle.Pickler):
    """torch.save's pickler: storages leave the pickle through persistent ids."""

    def __init__(self, file, protocol, legacy):
        super().__init__(file, protocol=protocol)
        self.legacy, self.storages = legacy, {}

    def persistent_id(self, obj):
        if not isinstance(obj, Storage):
            return None
        self.storages.setdefault(obj.key, obj)
        if self.legacy:  # (..., numel, view_metadata)
            return ("storage", obj.cls, obj.key, "cpu", len(obj.values), None)
        return ("storage", obj.cls, obj.key, "cpu", len(obj.values))


def bfloat16_bits(value):
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    assert bits & 0xFFFF == 0, "fixture bfloat16 values must be exact"
    return bits >> 16


# --- Contents. ------------------------------------------------------------------------------
def state_dict():
    """A module's state dict, `_metadata` and all, over two shared storages."""
    values = Storage("0", "FloatStorage", [(i - 5) / 4 for i in range(12)])
    counter = Storage("1", "LongStorage", [123456789])
    state = collections.OrderedDict()
    state["linear.weight"] = Tensor(values, 1, (3, 2), (1, 4))      # transposed view, offset 1
    state["linear.bias"] = Tensor(values, 8, (3,), (1,))            # contiguous, offset 8
    state["conv.weight"] = Tensor(values, 0, (2, 3, 2), (1, 4, 2))  # permutation of all 12
    state["bn.running_var"] = Tensor(values, 2, (2, 3), (0, 1))     # broadcast row
    state["bn.num_batches_tracked"] = Tensor(counter, 0, (), ())    # int64 scalar
    state._metadata = collections.OrderedDict([("", {"version": 1}), ("linear", {"version": 1})])
    return state


def dtypes_dict():
    """One tensor per storage type, values exactly representable in Float32."""
    specs = [
        ("f64", "DoubleStorage", [1.5, -2.25, 1e-3]),
        ("f16", "HalfStorage", [0.5, -1.0, 65504.0]),
        ("bf16", "BFloat16Storage", [bfloat16_bits(v) for v in (1.0, -2.5, 0.15625)]),
        ("i64", "LongStorage", [-3, 2 ** 40, 7]),
        ("i32", "IntStorage", [-7, 0, 2 ** 31 - 1]),
        ("i16", "ShortStorage", [-32768, 5, 32767]),
        ("i8", "CharStorage", [-128, 0, 127]),
        ("u8", "ByteStorage", [0, 200, 255]),
        ("bool", "BoolStorage", [True, False, True]),
    ]
    return collections.OrderedDict(
        (name, Tensor(Storage(str(index), cls, values), 0, (3,), (1,)))
        for index, (name, cls, values) in enumerate(specs))


def nested_dict():
    """A training checkpoint: model, optimizer state (integer keys, lists) and plain data."""
    state = state_dict()
    momentum = Tensor(Storage("9", "FloatStorage", [0.5, -0.5]), 0, (2,), (1,))
    return {
        "epoch": 7,
        "arch": "tiny",
        "state_dict": state,
        "optimizer": {"state": {0: {"momentum_buffer": momentum}},
                      "param_groups": [{"lr": 0.1, "params": [0]}]},
        "history": [state["linear.bias"], None],
    }


# --- Containers. ----------------------------------------------------------------------------
def pickle_bytes(obj, protocol, legacy):
    buffer = io.BytesIO()
    pickler = CheckpointPickler(buffer, protocol, legacy)
    pickler.dump(obj)
    return buffer.getvalue(), pickler.storages


def zip_checkpoint(obj, protocol, prefix, byteorder=b"little", version=b"3\n", omit=(), short=()):
    """`omit`: storage keys left out of the archive; `short`: storages written one byte short
    (both for the error tests)."""
    data, storages = pickle_bytes(obj, protocol, legacy=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        def add(name, contents):
            info = zipfile.ZipInfo(prefix + "/" + name, date_time=(1980, 1, 1, 0, 0, 0))
            # Pad the header with an extra field so that the data starts 64-byte aligned.
            header = 30 + len(info.filename.encode())
            padding = (-(buffer.tell() + header + 4)) % 64
            info.extra = b"FB" + struct.pack("<H", padding) + b"Z" * padding
            archive.writestr(info, contents)
        add("data.pkl", data)
        add("byteorder", byteorder)
        for key in sorted(storages):
            if key not in omit:
                add("data/" + key, storages[key].raw()[:-1] if key in short else storages[key].raw())
        add("version", version)
    return buffer.getvalue()


LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def legacy_checkpoint(obj):
    out = io.BytesIO()
    for header in (LEGACY_MAGIC, 1001, {"protocol_version": 1001, "little_endian": True,
                                        "type_sizes": {"short": 2, "int": 4, "long": 4}}):
        pickle.dump(header, out, protocol=2)
    data, storages = pickle_bytes(obj, 2, legacy=True)
    out.write(data)
    keys = sorted(storages)
    pickle.dump(keys, out, protocol=2)
    for key in keys:
        out.write(struct.pack("<q", len(storages[key].values)))
        out.write(storages[key].raw())
    return out.getvalue()


class SystemCall:
    """What an attacker pickles: unpickling it with Python's pickle would run a command."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/fathom_pth_fixture_pwned",))


def malicious_zip():
    """A zip checkpoint whose state dict hides `posix.system` (os.system's real module)."""
    state = state_dict()
    state["evil"] = SystemCall()
    return zip_checkpoint(state, 2, "archive")


FIXTURES = {
    "zip_proto2.pth": lambda: zip_checkpoint(state_dict(), 2, "archive"),
    "zip_proto4.pth": lambda: zip_checkpoint(state_dict(), 4, "zip_proto4"),
    "legacy_proto2.pth": lambda: legacy_checkpoint(state_dict()),
    "dtypes.pth": lambda: zip_checkpoint(dtypes_dict(), 2, "archive"),
    "nested_proto4.pth": lambda: zip_checkpoint(nested_dict(), 4, "archive"),
    "nested_legacy.pth": lambda: legacy_checkpoint(nested_dict()),
    "malicious_posix_system.pth": malicious_zip,
    "broken_missing_storage.pth": lambda: zip_checkpoint(state_dict(), 2, "archive", omit=("1",)),
    "broken_short_storage.pth": lambda: zip_checkpoint(state_dict(), 2, "archive", short=("0",)),
    "broken_big_endian.pth": lambda: zip_checkpoint(state_dict(), 2, "archive", byteorder=b"big"),
    "broken_version.pth": lambda: zip_checkpoint(state_dict(), 2, "archive", version=b"99\n"),
}


def main():
    for name, make in FIXTURES.items():
        contents = make()
        if not name.startswith(("legacy", "nested_legacy")):
            with zipfile.ZipFile(io.BytesIO(contents)) as archive:
                assert archive.testzip() is None
                pickle_data = next(archive.read(n) for n in archive.namelist() if n.endswith("/data.pkl"))
        else:
            pickle_data = None
        if pickle_data is not None:
            pickletools.dis(pickle_data, out=io.StringIO())  # Raises on a malformed pickle.
        with open(os.path.join(HERE, name), "wb") as file:
            file.write(contents)
        print("%-28s %5d bytes" % (name, len(contents)))


if __name__ == "__main__":
    main()
