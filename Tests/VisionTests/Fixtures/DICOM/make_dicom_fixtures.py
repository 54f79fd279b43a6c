#!/usr/bin/env python3
"""Regenerates the DICOM fixtures of Tests/VisionTests/DICOMTests.swift.

    pip install pydicom numpy pillow      # pydicom 3.0.2, numpy 2.4, Pillow 12 were used
    python3 Tests/VisionTests/Fixtures/DICOM/make_dicom_fixtures.py

1. Copies a small set of the test files shipped inside the pydicom wheel
   (pydicom/data/test_files, MIT licence; provenance in README.md beside this script).
2. Writes a few variants with pydicom (VOI LUT Sequence, MONOCHROME1, files without file
   meta, signed 12-bit samples).
3. For every file Fathom must decode, writes NAME.npy: the expected 8-bit display image,
   computed from pydicom's pixel array (pydicom decodes JPEG with Pillow) by the rule of
   Sources/Vision/Codecs/DICOM/DICOMDisplay.swift:

   gray:   v = apply_modality_lut(first frame)
           VOI LUT Sequence present (pydicom's prefer_lut=True):
               display = floor(255 * apply_voi(v) / (2^bits - 1) + 0.5)
           else a usable window (width >= 1 for LINEAR, > 0 otherwise):
               w = apply_windowing(v); display = floor(255 * (w - yMin) / (yMax - yMin) + 0.5)
               with yMin, yMax pydicom's apply_windowing output range (repeated below)
           else min-max: display = floor(255 * (v - min) / (max - min) + 0.5), 0 if max == min
           MONOCHROME1: display = 255 - display
   colour: display = floor(255 * sample / (2^BitsStored - 1) + 0.5)

Files Fathom must refuse (JPEG 2000, JPEG-LS, lossless JPEG, 12-bit JPEG, truncated,
no pixel data) are copied without an .npy; the tests check their typed errors.
"""
import os
import shutil
import zlib

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixels import apply_modality_lut, apply_voi, apply_windowing
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")

DECODED = [
    "CT_small.dcm",  # explicit VR LE, signed 16-bit, rescale, no window: min-max
    "MR_small.dcm",  # explicit VR LE, signed 16-bit, window
    "MR_small_implicit.dcm",  # implicit VR LE
    "MR_small_bigendian.dcm",  # explicit VR BE
    "MR_small_RLE.dcm",  # RLE lossless, 16-bit
    "image_dfl.dcm",  # deflated explicit VR LE, 8-bit
    "SC_rgb_small_odd.dcm",  # RGB 3x3, explicit LE
    "SC_rgb_small_odd_big_endian.dcm",  # RGB, 8-bit in OW, big endian
    "ExplVR_BigEnd.dcm",  # RGB, planar configuration 1, big endian
    "SC_rgb_rle.dcm",  # RGB RLE
    "SC_rgb_rle_16bit.dcm",  # RGB RLE 16-bit
    "SC_rgb_rle_2frame.dcm",  # two frames: the first is decoded
    "SC_rgb_jpeg_dcmtk.dcm",  # JPEG baseline, YBR_FULL
    "SC_rgb_dcmtk_+eb+cr.dcm",  # JPEG baseline, RGB
]
LOSSY = {"SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_dcmtk_+eb+cr.dcm"}
REFUSED = [
    "JPEG-lossy.dcm",  # JPEG extended 12-bit: libjpeg-turbo's 8-bit API refuses it
    "JPEG2000.dcm",  # 1.2.840.10008.1.2.4.91
    "MR_small_jpeg_ls_lossless.dcm",  # 1.2.840.10008.1.2.4.80
    "SC_rgb_jpeg_gdcm.dcm",  # 1.2.840.10008.1.2.4.70 lossless JPEG
    "MR_truncated.dcm",  # pixel data cut short
    "ExplVR_LitEndNoMeta.dcm",  # no meta, no pixel data (RT plan)
    "nested_priv_SQ.dcm",  # nested private sequences of undefined length, implicit VR
    "test-SR.dcm",  # structured report: deeply nested sequences, no pixel data
]


def window_range(ds):
    """pydicom's apply_windowing output range (pydicom/pixels/processing.py)."""
    if ds.get("ModalityLUTSequence"):
        y_min, y_max = 0, 2 ** ds.ModalityLUTSequence[0].LUTDescriptor[2] - 1
    elif ds.PixelRepresentation == 0:
        y_min, y_max = 0, 2**ds.BitsStored - 1
    else:
        y_min, y_max = -(2 ** (ds.BitsStored - 1)), 2 ** (ds.BitsStored - 1) - 1
    if "RescaleSlope" in ds and "RescaleIntercept" in ds:
        y_min = y_min * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        y_max = y_max * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return float(y_min), float(y_max)


def first(value):
    return float(value[0]) if isinstance(value, pydicom.multival.MultiValue) else float(value)


def display(ds):
    """The expected 8-bit display image (the rule in the module docstring)."""
    arr = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames > 1:
        arr = arr[0]
    if ds.SamplesPerPixel != 1:
        out = np.floor(arr.astype(np.float64) * 255.0 / float(2**ds.BitsStored - 1) + 0.5)
        return np.clip(out, 0, 255).astype(np.uint8)
    v = apply_modality_lut(arr, ds)
    function = str(ds.get("VOILUTFunction", "LINEAR")).upper()
    if ds.get("VOILUTSequence"):
        item = ds.VOILUTSequence[0]
        out = apply_voi(v, ds).astype(np.float64) * 255.0 / float(2 ** item.LUTDescriptor[2] - 1)
    elif "WindowCenter" in ds and "WindowWidth" in ds and (
        first(ds.WindowWidth) >= 1 if function == "LINEAR" else first(ds.WindowWidth) > 0
    ):
        y_min, y_max = window_range(ds)
        out = (apply_windowing(v, ds) - y_min) / (y_max - y_min) * 255.0
    else:
        v = v.astype(np.float64)
        low, high = v.min(), v.max()
        out = (v - low) / (high - low) * 255.0 if high > low else np.zeros_like(v)
    out = np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        out = 255 - out
    return out


def variants():
    """Files written with pydicom from MR_small and CT_small."""
    mr = lambda: pydicom.dcmread(os.path.join(SOURCE, "MR_small.dcm"))
    made = {}

    # A VOI LUT Sequence (12-bit entries over the stored range, a gamma-like curve clearly
    # unlike the window) next to the window: the LUT wins.
    ds = mr()
    item = Dataset()
    low, high = int(ds.pixel_array.min()), int(ds.pixel_array.max())
    entries = high - low + 1
    item.LUTDescriptor = [entries, low, 12]
    item.LUTData = [int(x) for x in 4095 * np.linspace(0, 1, entries) ** 0.5]
    item["LUTDescriptor"].VR = "US"
    item["LUTData"].VR = "US"
    ds.VOILUTSequence = Sequence([item])
    made["MR_small_voi_lut.dcm"] = ds

    # A Modality LUT Sequence (16-bit entries, 1.5 × (stored − min)) instead of a rescale; the
    # window then applies to the LUT's output, over the LUT's range.
    ds = mr()
    item = Dataset()
    low, high = int(ds.pixel_array.min()), int(ds.pixel_array.max())
    item.LUTDescriptor = [high - low + 1, low, 16]
    item.LUTData = [int(1.5 * k) for k in range(high - low + 1)]
    item.ModalityLUTType = "US"
    item["LUTDescriptor"].VR = "US"
    item["LUTData"].VR = "US"
    ds.ModalityLUTSequence = Sequence([item])
    ds.WindowCenter, ds.WindowWidth = 900, 2400
    made["MR_small_modality_lut.dcm"] = ds

    ds = mr()
    ds.PhotometricInterpretation = "MONOCHROME1"
    made["MR_small_monochrome1.dcm"] = ds

    # Signed 12-bit samples stored in 16 bits with the upper 4 bits zero: sign extension.
    ds = mr()
    values = np.clip(ds.pixel_array.astype(np.int32) - 1000, -2048, 2047)
    ds.BitsStored, ds.HighBit = 12, 11
    ds.PixelData = (values & 0x0FFF).astype("<u2").tobytes()
    made["MR_small_signed12.dcm"] = ds
    return made


def without_meta(name, ds, syntax):
    """`ds` as a bare data set (no preamble, no file meta) in `syntax`."""
    path = os.path.join(HERE, name)
    ds = ds.copy()
    del ds.file_meta
    implicit = syntax == ImplicitVRLittleEndian
    ds.save_as(path, implicit_vr=implicit, little_endian=True, enforce_file_format=False)
    return pydicom.dcmread(path, force=True)


def main():
    for name in os.listdir(HERE):
        if name.endswith((".dcm", ".npy")):
            os.remove(os.path.join(HERE, name))
    for name in DECODED + REFUSED:
        shutil.copyfile(os.path.join(SOURCE, name), os.path.join(HERE, name))
    for name in DECODED:
        ds = pydicom.dcmread(os.path.join(HERE, name))
        np.save(os.path.join(HERE, name[:-4] + ".npy"), display(ds))
    for name, ds in variants().items():
        ds.save_as(os.path.join(HERE, name), enforce_file_format=True)
        np.save(os.path.join(HERE, name[:-4] + ".npy"), display(pydicom.dcmread(os.path.join(HERE, name))))
    mr = pydicom.dcmread(os.path.join(SOURCE, "MR_small.dcm"))
    for name, syntax in [("MR_small_no_meta_implicit.dcm", ImplicitVRLittleEndian),
                         ("MR_small_no_meta_explicit.dcm", ExplicitVRLittleEndian)]:
        ds = without_meta(name, mr, syntax)
        ds.file_meta = pydicom.dataset.FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = syntax
        np.save(os.path.join(HERE, name[:-4] + ".npy"), display(ds))
    # A deflate bomb: the file meta of image_dfl.dcm, then 24 MiB of zeros deflated (~24 KB).
    with open(os.path.join(SOURCE, "image_dfl.dcm"), "rb") as f:
        dfl = f.read()
    meta_end = 132 + 12 + int.from_bytes(dfl[140:144], "little")  # (0002,0000) group length
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(bytes(24 << 20)) + packer.flush()
    with open(os.path.join(HERE, "deflate_bomb.dcm"), "wb") as f:
        f.write(dfl[:meta_end] + bomb)
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in os.listdir(HERE))
    print(f"fixtures written to {HERE}: {total} bytes")


if __name__ == "__main__":
    main()
