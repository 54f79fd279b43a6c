#!/usr/bin/env python3
"""Tests of Scripts/tflite-to-safetensors on TF-Lite flatbuffers built here with the schema's own
builders: uint8 per-tensor and int8 per-channel weights, int32 and float32 biases, operator
numbering, the safetensors layout, and unreadable files refused with a message.
Run: python3 Scripts/test_tflite_to_safetensors.py (PneumoniaTests runs it too)."""

import importlib.machinery
import importlib.util
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

import flatbuffers
import numpy as np
import tflite

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "tflite-to-safetensors")
loader = importlib.machinery.SourceFileLoader("tflite_to_safetensors", SCRIPT)
spec = importlib.util.spec_from_loader("tflite_to_safetensors", loader)
converter = importlib.util.module_from_spec(spec)
loader.exec_module(converter)


def vector(builder, start, offsets):
    start(builder, len(offsets))
    for offset in reversed(offsets):
        builder.PrependUOffsetTRelative(offset)
    return builder.EndVector()


def build_model(rng):
    """conv (uint8 per tensor, int32 bias) → add → depthwise (int8 per channel on axis 3, float bias)."""
    b = flatbuffers.Builder(4096)
    conv_q = rng.integers(0, 256, size=(4, 3, 3, 2), dtype=np.uint8)
    conv_bias_q = rng.integers(-500, 500, size=4, dtype=np.int32)
    dw_q = rng.integers(-128, 128, size=(1, 3, 3, 4), dtype=np.int8)
    dw_bias = rng.standard_normal(4).astype(np.float32)
    arrays = {"conv_q": conv_q, "conv_bias_q": conv_bias_q, "dw_q": dw_q, "dw_bias": dw_bias,
              "conv_scale": 0.0213, "conv_zero": 121, "bias_scale": 0.0213 * 0.0078,
              "dw_scales": np.array([0.01, 0.02, 0.03, 0.04], np.float32)}

    def buffer(data):
        data_offset = b.CreateByteVector(data) if data is not None else None
        tflite.BufferStart(b)
        if data_offset is not None:
            tflite.BufferAddData(b, data_offset)
        return tflite.BufferEnd(b)

    def quantization(scales, zeros, axis=0):
        s = b.CreateNumpyVector(np.asarray(scales, np.float32))
        z = b.CreateNumpyVector(np.asarray(zeros, np.int64))
        tflite.QuantizationParametersStart(b)
        tflite.QuantizationParametersAddScale(b, s)
        tflite.QuantizationParametersAddZeroPoint(b, z)
        tflite.QuantizationParametersAddQuantizedDimension(b, axis)
        return tflite.QuantizationParametersEnd(b)

    def tensor(name, shape, kind, buffer_index, quant=None):
        n = b.CreateString(name)
        s = b.CreateNumpyVector(np.asarray(shape, np.int32))
        tflite.TensorStart(b)
        tflite.TensorAddShape(b, s)
        tflite.TensorAddType(b, kind)
        tflite.TensorAddBuffer(b, buffer_index)
        tflite.TensorAddName(b, n)
        if quant is not None:
            tflite.TensorAddQuantization(b, quant)
        return tflite.TensorEnd(b)

    buffers = [buffer(None), buffer(conv_q.tobytes()), buffer(conv_bias_q.tobytes()), buffer(dw_q.tobytes()), buffer(dw_bias.tobytes())]
    q_conv = quantization([arrays["conv_scale"]], [arrays["conv_zero"]])
    q_bias = quantization([arrays["bias_scale"]], [0])
    q_dw = quantization(arrays["dw_scales"], [0, 0, 0, 0], axis=3)
    T = tflite.TensorType
    tensors = [tensor("input", [1, 8, 8, 2], T.FLOAT32, 0), tensor("conv/w", [4, 3, 3, 2], T.UINT8, 1, q_conv),
               tensor("conv/b", [4], T.INT32, 2, q_bias), tensor("conv/out", [1, 8, 8, 4], T.FLOAT32, 0),
               tensor("add/out", [1, 8, 8, 4], T.FLOAT32, 0), tensor("dw/w", [1, 3, 3, 4], T.INT8, 3, q_dw),
               tensor("dw/b", [4], T.FLOAT32, 4), tensor("dw/out", [1, 8, 8, 4], T.FLOAT32, 0)]

    def operator_code(code):
        tflite.OperatorCodeStart(b)
        tflite.OperatorCodeAddDeprecatedBuiltinCode(b, code)
        tflite.OperatorCodeAddBuiltinCode(b, code)
        tflite.OperatorCodeAddVersion(b, 1)
        return tflite.OperatorCodeEnd(b)

    codes = [operator_code(tflite.BuiltinOperator.CONV_2D), operator_code(tflite.BuiltinOperator.ADD),
             operator_code(tflite.BuiltinOperator.DEPTHWISE_CONV_2D)]

    def operator(code_index, inputs, outputs):
        i = b.CreateNumpyVector(np.asarray(inputs, np.int32))
        o = b.CreateNumpyVector(np.asarray(outputs, np.int32))
        tflite.OperatorStart(b)
        tflite.OperatorAddOpcodeIndex(b, code_index)
        tflite.OperatorAddInputs(b, i)
        tflite.OperatorAddOutputs(b, o)
        return tflite.OperatorEnd(b)

    operators = [operator(0, [0, 1, 2], [3]), operator(1, [3, 3], [4]), operator(2, [4, 5, 6], [7])]
    tensor_vector = vector(b, tflite.SubGraphStartTensorsVector, tensors)
    operator_vector = vector(b, tflite.SubGraphStartOperatorsVector, operators)
    graph_inputs = b.CreateNumpyVector(np.asarray([0], np.int32))
    graph_outputs = b.CreateNumpyVector(np.asarray([7], np.int32))
    tflite.SubGraphStart(b)
    tflite.SubGraphAddTensors(b, tensor_vector)
    tflite.SubGraphAddOperators(b, operator_vector)
    tflite.SubGraphAddInputs(b, graph_inputs)
    tflite.SubGraphAddOutputs(b, graph_outputs)
    subgraph = tflite.SubGraphEnd(b)
    subgraphs = vector(b, tflite.ModelStartSubgraphsVector, [subgraph])
    code_vector = vector(b, tflite.ModelStartOperatorCodesVector, codes)
    buffer_vector = vector(b, tflite.ModelStartBuffersVector, buffers)
    tflite.ModelStart(b)
    tflite.ModelAddVersion(b, 3)
    tflite.ModelAddOperatorCodes(b, code_vector)
    tflite.ModelAddSubgraphs(b, subgraphs)
    tflite.ModelAddBuffers(b, buffer_vector)
    b.Finish(tflite.ModelEnd(b), file_identifier=b"TFL3")
    return bytes(b.Output()), arrays


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    base = 8 + length
    arrays = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        arrays[name] = np.frombuffer(data[base + start:base + end], "<f4").reshape(entry["shape"])
    return arrays, header.get("__metadata__"), length


class ConversionTests(unittest.TestCase):
    def test_weights_are_dequantized_in_their_layout_and_named_by_operator(self):
        model, a = build_model(np.random.default_rng(0))
        folder = tempfile.mkdtemp()
        source, output = os.path.join(folder, "m.tflite"), os.path.join(folder, "m.safetensors")
        with open(source, "wb") as f:
            f.write(model)
        result = subprocess.run([sys.executable, SCRIPT, source, output], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        tensors, metadata, header_length = read_safetensors(output)
        self.assertEqual(sorted(tensors), ["00_conv.bias", "00_conv.weight", "02_dwconv.bias", "02_dwconv.weight"])
        self.assertEqual(metadata, {"converted_from": "m.tflite"})
        self.assertEqual(header_length % 8, 0)
        # References element by element, in float64, rounded once.
        conv = np.empty((4, 3, 3, 2))
        for index in np.ndindex(conv.shape):
            conv[index] = (float(a["conv_q"][index]) - a["conv_zero"]) * float(np.float32(a["conv_scale"]))
        np.testing.assert_array_equal(tensors["00_conv.weight"], conv.astype(np.float32))
        bias_scale = float(np.float32(a["bias_scale"]))
        np.testing.assert_array_equal(tensors["00_conv.bias"], np.array([q * bias_scale for q in a["conv_bias_q"]], np.float32))
        dw = np.empty((1, 3, 3, 4))
        for index in np.ndindex(dw.shape):
            dw[index] = float(a["dw_q"][index]) * float(a["dw_scales"][index[3]])
        np.testing.assert_array_equal(tensors["02_dwconv.weight"], dw.astype(np.float32))
        np.testing.assert_array_equal(tensors["02_dwconv.bias"], a["dw_bias"])

    def test_unreadable_files_are_refused_with_a_message(self):
        folder = tempfile.mkdtemp()
        model, _ = build_model(np.random.default_rng(1))
        for name, data in [("noise.tflite", os.urandom(4096)), ("cut.tflite", model[:len(model) // 3]), ("empty.tflite", b"")]:
            source = os.path.join(folder, name)
            with open(source, "wb") as f:
                f.write(data)
            result = subprocess.run([sys.executable, SCRIPT, source, source + ".safetensors"], capture_output=True, text=True)
            self.assertEqual(result.returncode, 1, f"{name}: {result.stderr}")
            self.assertIn(name, result.stderr)
            self.assertNotIn("Traceback", result.stderr)
            self.assertFalse(os.path.exists(source + ".safetensors"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
