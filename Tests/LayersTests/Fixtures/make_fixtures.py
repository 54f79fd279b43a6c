#!/usr/bin/env python3
"""Reference values for the Layers kernels (conv2d, pooling, batch norm, losses).

PyTorch is too large to install here, so the references are computed with NumPy by plain,
obviously-correct loops that follow PyTorch's documented formulas (and, for pooling, the
index arithmetic of ATen's CPU kernels) literally: a direct convolution sum, explicit
pooling windows, the batch-norm formula, the loss definitions. Everything runs in float64
on float32 inputs; results are stored as float32 .npy files plus one JSON manifest per op
that lists the cases and their arguments. The Swift tests compare against these.

Files: `<op>.json` (the cases and their arguments) and `<op>.npz` (uncompressed, as
`numpy.savez`), whose members are named `<case>.<array>`.

Run from anywhere:  python3 Tests/LayersTests/Fixtures/make_fixtures.py
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240601)


def rand(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(np.float32)


ARCHIVES = {}


def save(op, case, arrays):
    """Queues `arrays` (as float32, C order) for Fixtures/<op>.npz under `<case>.<name>`."""
    archive = ARCHIVES.setdefault(op, {})
    for name, array in arrays.items():
        archive[f"{case}.{name}"] = np.array(array, dtype=np.float32, order="C")  # keeps rank 0


def write_manifest(op, cases):
    """Writes Fixtures/<op>.json (the cases) and Fixtures/<op>.npz (their arrays)."""
    with open(os.path.join(HERE, f"{op}.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    np.savez(os.path.join(HERE, f"{op}.npz"), **ARCHIVES.pop(op))


# ---------------------------------------------------------------------------------------------
# conv2d: out[n, o, oy, ox] = b[o] + Σ_{c in group(o), ky, kx} w[o, c, ky, kx] · xpad[n, c, oy·s + ky·d, ox·s + kx·d]


def tf_same(size, kernel, stride, dilation):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv2d_reference(x, w, b, stride, pads, dilation, groups, upstream):
    """Direct convolution and, for the loss L = Σ out · upstream, its gradients."""
    n_, c_, h, wd = x.shape
    o_, cg, kh, kw = w.shape
    top, bottom, left, right = pads
    sy, sx = stride
    dy, dx = dilation
    xp = np.zeros((n_, c_, h + top + bottom, wd + left + right))
    xp[:, :, top:top + h, left:left + wd] = x
    oh = (h + top + bottom - (kh - 1) * dy - 1) // sy + 1
    ow = (wd + left + right - (kw - 1) * dx - 1) // sx + 1
    og = o_ // groups
    out = np.zeros((n_, o_, oh, ow))
    gxp = np.zeros_like(xp)
    gw = np.zeros(w.shape)
    for n in range(n_):
        for o in range(o_):
            g = o // og
            for oy in range(oh):
                for ox in range(ow):
                    total = 0.0 if b is None else float(b[o])
                    u = float(upstream[n, o, oy, ox])
                    for ci in range(cg):
                        c = g * cg + ci
                        for ky in range(kh):
                            for kx in range(kw):
                                iy, ix = oy * sy + ky * dy, ox * sx + kx * dx
                                total += float(w[o, ci, ky, kx]) * xp[n, c, iy, ix]
                                gw[o, ci, ky, kx] += u * xp[n, c, iy, ix]
                                gxp[n, c, iy, ix] += u * float(w[o, ci, ky, kx])
                    out[n, o, oy, ox] = total
    gx = gxp[:, :, top:top + h, left:left + wd]
    gb = upstream.sum(axis=(0, 2, 3))
    return out, gx, gw, gb


def make_conv2d():
    specs = [
        # name, N, C, H, W, O, kH, kW, stride, padding, dilation, groups, bias
        ("basic", 2, 3, 7, 6, 4, 3, 3, (1, 1), (0, 0, 0, 0), (1, 1), 1, True),
        ("stride2_pad1", 2, 3, 8, 7, 5, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 1, True),
        ("asymmetric", 1, 2, 6, 7, 3, 3, 2, (2, 1), (1, 2, 0, 1), (1, 2), 1, True),
        ("same_stride2_k3", 2, 3, 9, 8, 4, 3, 3, (2, 2), "same", (1, 1), 1, True),
        ("same_stride2_k5", 1, 2, 10, 11, 3, 5, 5, (2, 2), "same", (1, 1), 1, False),
        ("same_dilated", 1, 2, 7, 7, 2, 3, 3, (1, 1), "same", (2, 2), 1, True),
        ("dilation2_pad2", 2, 2, 7, 8, 3, 3, 3, (1, 1), (2, 2, 2, 2), (2, 2), 1, True),
        ("groups2", 2, 4, 6, 6, 6, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 2, True),
        ("depthwise_same_stride2", 2, 4, 9, 9, 4, 3, 3, (2, 2), "same", (1, 1), 4, True),
        ("depthwise_multiplier2", 1, 3, 7, 6, 6, 3, 3, (1, 1), (1, 1, 1, 1), (2, 1), 3, False),
        ("depthwise_k5_stride2", 2, 3, 11, 10, 3, 5, 5, (2, 2), (2, 2, 2, 2), (1, 1), 3, True),
        ("pointwise", 2, 5, 4, 5, 3, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1), 1, False),
        ("pointwise_groups", 1, 4, 3, 3, 6, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1), 2, True),
        ("pointwise_stride2", 2, 3, 7, 6, 4, 1, 1, (2, 2), (0, 0, 0, 0), (1, 1), 1, True),
        ("single_channel_input", 2, 1, 6, 6, 4, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1, True),
    ]
    cases = []
    for name, n, c, h, w, o, kh, kw, stride, padding, dilation, groups, has_bias in specs:
        x = rand(n, c, h, w)
        weight = rand(o, c // groups, kh, kw)
        bias = rand(o) if has_bias else None
        if padding == "same":
            pads = tf_same(h, kh, stride[0], dilation[0]) + tf_same(w, kw, stride[1], dilation[1])
            pads = (pads[0], pads[1], pads[2], pads[3])
        else:
            pads = padding
        out_h = (h + pads[0] + pads[1] - (kh - 1) * dilation[0] - 1) // stride[0] + 1
        out_w = (w + pads[2] + pads[3] - (kw - 1) * dilation[1] - 1) // stride[1] + 1
        upstream = rand(n, o, out_h, out_w)
        out, gx, gw, gb = conv2d_reference(x, weight, bias, stride, pads, dilation, groups, upstream)
        arrays = {"input": x, "weight": weight, "upstream": upstream, "output": out,
                  "grad_input": gx, "grad_weight": gw}
        if bias is not None:
            arrays["bias"] = bias
            arrays["grad_bias"] = gb
        save("conv2d", name, arrays)
        cases.append({"name": name, "stride": list(stride),
                      "padding": padding if padding == "same" else list(padding),
                      "dilation": list(dilation), "groups": groups, "bias": has_bias})
    write_manifest("conv2d", cases)


# ---------------------------------------------------------------------------------------------
# Pooling, following ATen's CPU kernels (pooling_shape.h, AvgPoolKernel.cpp, AdaptivePooling.h)


def pooled_size(size, kernel, pad, stride, ceil_mode):
    numerator = size + 2 * pad - (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = numerator // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def max_pool_reference(x, k, s, p, ceil_mode):
    n_, c_, h, w = x.shape
    oh, ow = pooled_size(h, k[0], p[0], s[0], ceil_mode), pooled_size(w, k[1], p[1], s[1], ceil_mode)
    out = np.zeros((n_, c_, oh, ow))
    for n in range(n_):
        for c in range(c_):
            for oy in range(oh):
                for ox in range(ow):
                    best = -np.inf
                    for iy in range(oy * s[0] - p[0], oy * s[0] - p[0] + k[0]):
                        for ix in range(ox * s[1] - p[1], ox * s[1] - p[1] + k[1]):
                            if 0 <= iy < h and 0 <= ix < w:
                                best = max(best, float(x[n, c, iy, ix]))
                    out[n, c, oy, ox] = best
    return out


def avg_pool_reference(x, k, s, p, ceil_mode, count_include_pad):
    n_, c_, h, w = x.shape
    oh, ow = pooled_size(h, k[0], p[0], s[0], ceil_mode), pooled_size(w, k[1], p[1], s[1], ceil_mode)
    out = np.zeros((n_, c_, oh, ow))
    for n in range(n_):
        for c in range(c_):
            for oy in range(oh):
                for ox in range(ow):
                    hstart, wstart = oy * s[0] - p[0], ox * s[1] - p[1]
                    hend, wend = min(hstart + k[0], h + p[0]), min(wstart + k[1], w + p[1])
                    pool_size = (hend - hstart) * (wend - wstart)
                    hstart, wstart = max(hstart, 0), max(wstart, 0)
                    hend, wend = min(hend, h), min(wend, w)
                    total = x[n, c, hstart:hend, wstart:wend].astype(np.float64).sum()
                    divisor = pool_size if count_include_pad else (hend - hstart) * (wend - wstart)
                    out[n, c, oy, ox] = total / divisor
    return out


def adaptive_avg_pool_reference(x, out_size):
    n_, c_, h, w = x.shape
    oh, ow = out_size
    out = np.zeros((n_, c_, oh, ow))
    for oy in range(oh):
        hs, he = (oy * h) // oh, -((-(oy + 1) * h) // oh)
        for ox in range(ow):
            ws, we = (ox * w) // ow, -((-(ox + 1) * w) // ow)
            out[:, :, oy, ox] = x[:, :, hs:he, ws:we].astype(np.float64).mean(axis=(2, 3))
    return out


def distinct_values(*shape):
    """A random arrangement of well-separated values: max pooling without ties."""
    count = int(np.prod(shape))
    return (rng.permutation(count).astype(np.float32) * 0.05 - count * 0.025).reshape(shape)


def make_pooling():
    max_specs = [
        # name, shape, kernel, stride, padding, ceil
        ("k2s2", (2, 3, 6, 6), (2, 2), (2, 2), (0, 0), False),
        ("k3s2p1", (2, 2, 7, 8), (3, 3), (2, 2), (1, 1), False),
        ("k2s2_ceil_odd", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True),
        ("k3s2p1_ceil", (1, 2, 8, 9), (3, 3), (2, 2), (1, 1), True),
        ("k3s3p1_ceil", (1, 1, 6, 7), (3, 3), (3, 3), (1, 1), True),
        ("k2s2p1_ceil_drop", (1, 2, 5, 7), (2, 2), (2, 2), (1, 1), True),  # last window would start in the padding
        ("rect_k2x3_s1x2", (2, 2, 5, 7), (2, 3), (1, 2), (1, 1), False),
    ]
    cases = []
    for name, shape, k, s, p, ceil_mode in max_specs:
        x = distinct_values(*shape)
        save("max_pool2d", name, {"input": x, "output": max_pool_reference(x, k, s, p, ceil_mode)})
        cases.append({"name": name, "kernel": list(k), "stride": list(s), "padding": list(p), "ceil_mode": ceil_mode})
    write_manifest("max_pool2d", cases)

    avg_specs = [
        # name, shape, kernel, stride, padding, ceil, count_include_pad
        ("k2s2", (2, 3, 6, 6), (2, 2), (2, 2), (0, 0), False, True),
        ("k3s2p1_include", (2, 2, 7, 8), (3, 3), (2, 2), (1, 1), False, True),
        ("k3s2p1_exclude", (2, 2, 7, 8), (3, 3), (2, 2), (1, 1), False, False),
        ("k2s2_ceil_odd_include", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True, True),
        ("k2s2_ceil_odd_exclude", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True, False),
        ("k3s2p1_ceil_include", (1, 2, 8, 9), (3, 3), (2, 2), (1, 1), True, True),
        ("k3s2p1_ceil_exclude", (1, 2, 8, 9), (3, 3), (2, 2), (1, 1), True, False),
        ("k3s3p1_ceil_include", (1, 1, 6, 7), (3, 3), (3, 3), (1, 1), True, True),
        ("k2s2p1_ceil_drop_include", (1, 2, 5, 7), (2, 2), (2, 2), (1, 1), True, True),
        ("k2s2p1_ceil_drop_exclude", (1, 2, 5, 7), (2, 2), (2, 2), (1, 1), True, False),
        ("k4s3p2_ceil_include", (1, 2, 9, 10), (4, 4), (3, 3), (2, 2), True, True),
        ("rect_k2x3_s1x2_p1", (2, 2, 5, 7), (2, 3), (1, 2), (1, 1), False, True),
    ]
    cases = []
    for name, shape, k, s, p, ceil_mode, include in avg_specs:
        x = rand(*shape)
        save("avg_pool2d", name, {"input": x, "output": avg_pool_reference(x, k, s, p, ceil_mode, include)})
        cases.append({"name": name, "kernel": list(k), "stride": list(s), "padding": list(p),
                      "ceil_mode": ceil_mode, "count_include_pad": include})
    write_manifest("avg_pool2d", cases)

    adaptive_specs = [
        ("7x7_to_3x3", (2, 3, 7, 7), (3, 3)),
        ("5x7_to_2x4", (1, 2, 5, 7), (2, 4)),
        ("6x6_to_3x3", (2, 2, 6, 6), (3, 3)),
        ("4x3_to_5x5", (1, 2, 4, 3), (5, 5)),
        ("global", (2, 4, 5, 6), (1, 1)),
    ]
    cases = []
    for name, shape, size in adaptive_specs:
        x = rand(*shape)
        save("adaptive_avg_pool2d", name, {"input": x, "output": adaptive_avg_pool_reference(x, size)})
        cases.append({"name": name, "output_size": list(size)})
    write_manifest("adaptive_avg_pool2d", cases)


# ---------------------------------------------------------------------------------------------
# Batch norm: y = (x − μ) / sqrt(σ² + ε) · γ + β per channel (axis 1)


def make_batch_norm():
    specs = [
        # name, shape, training, affine, momentum, eps
        ("train_nchw", (4, 3, 5, 6), True, True, 0.1, 1e-5),
        ("train_nc", (8, 5), True, True, 0.1, 1e-5),
        ("train_nchw_no_affine_momentum03", (3, 2, 4, 4), True, False, 0.3, 1e-3),
        ("eval_nchw", (2, 3, 4, 5), False, True, 0.1, 1e-3),
        ("eval_nc", (6, 4), False, False, 0.1, 1e-5),
    ]
    cases = []
    for name, shape, training, affine, momentum, eps in specs:
        c = shape[1]
        x = rand(*shape, low=-2, high=3)
        running_mean = rand(c)
        running_var = rand(c, low=0.5, high=2.0)
        gamma, beta = (rand(c, low=0.5, high=1.5), rand(c)) if affine else (None, None)
        axes = tuple(i for i in range(len(shape)) if i != 1)
        xd = x.astype(np.float64)
        view = [1] * len(shape)
        view[1] = c
        if training:
            mean = xd.mean(axis=axes)
            var = xd.var(axis=axes)  # biased: normalizes the batch
            m = xd.size // c
            new_mean = (1 - momentum) * running_mean + momentum * mean
            new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)  # unbiased
        else:
            mean, var = running_mean.astype(np.float64), running_var.astype(np.float64)
            new_mean, new_var = running_mean, running_var
        y = (xd - mean.reshape(view)) / np.sqrt(var.reshape(view) + eps)
        if affine:
            y = y * gamma.reshape(view) + beta.reshape(view)
        arrays = {"input": x, "running_mean": running_mean, "running_var": running_var,
                  "output": y, "new_running_mean": new_mean, "new_running_var": new_var}
        if affine:
            arrays["weight"], arrays["bias"] = gamma, beta
        save("batch_norm", name, arrays)
        cases.append({"name": name, "training": training, "affine": affine, "momentum": momentum, "epsilon": eps})
    write_manifest("batch_norm", cases)


# ---------------------------------------------------------------------------------------------
# Losses, as in the PyTorch documentation of CrossEntropyLoss, BCEWithLogitsLoss and MSELoss


def log_softmax(z):
    z = z.astype(np.float64)
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def cross_entropy_reference(logits, labels, weights, smoothing, reduction):
    n, c = logits.shape
    w = np.ones(c) if weights is None else weights.astype(np.float64)
    logp = log_softmax(logits)
    # PyTorch >= 1.10: target distribution (1 − ε)·onehot + ε/C; each class term weighted by w_c.
    losses = np.zeros(n)
    for i in range(n):
        nll = -w[labels[i]] * logp[i, labels[i]]
        smooth = -(w * logp[i]).sum()
        losses[i] = (1 - smoothing) * nll + smoothing / c * smooth
    if reduction == "none":
        return losses
    if reduction == "sum":
        return np.array(losses.sum())
    return np.array(losses.sum() / w[labels].sum())  # weighted mean: by the targets' weights


def bce_reference(x, t, pos_weight, reduction):
    x, t = x.astype(np.float64), t.astype(np.float64)
    p = np.ones_like(x) if pos_weight is None else np.broadcast_to(pos_weight.astype(np.float64), x.shape)
    # ℓ = −[p·t·log σ(x) + (1 − t)·log(1 − σ(x))], with log σ(x) = −log(1 + e^−x) (stable forms).
    log_sigmoid = -np.logaddexp(0, -x)
    log_one_minus_sigmoid = -np.logaddexp(0, x)
    losses = -(p * t * log_sigmoid + (1 - t) * log_one_minus_sigmoid)
    return losses if reduction == "none" else np.array(losses.sum() if reduction == "sum" else losses.mean())


def make_losses():
    cases = []
    n, c = 6, 5
    specs = [
        ("mean", False, 0.0, "mean"),
        ("sum", False, 0.0, "sum"),
        ("none", False, 0.0, "none"),
        ("weighted_mean", True, 0.0, "mean"),
        ("weighted_none", True, 0.0, "none"),
        ("smoothing_mean", False, 0.1, "mean"),
        ("weighted_smoothing_mean", True, 0.2, "mean"),
        ("weighted_smoothing_sum", True, 0.2, "sum"),
        ("weighted_smoothing_none", True, 0.15, "none"),
    ]
    for name, weighted, smoothing, reduction in specs:
        logits = rand(n, c, low=-3, high=3)
        labels = rng.integers(0, c, size=n)
        weights = rand(c, low=0.2, high=2.0) if weighted else None
        arrays = {"logits": logits, "labels": labels.astype(np.float32),
                  "output": cross_entropy_reference(logits, labels, weights, smoothing, reduction)}
        if weighted:
            arrays["weights"] = weights
        save("cross_entropy", name, arrays)
        cases.append({"name": name, "weighted": weighted, "label_smoothing": smoothing, "reduction": reduction})
    write_manifest("cross_entropy", cases)

    cases = []
    for name, pos, reduction, extreme in [("mean", False, "mean", False), ("sum", False, "sum", False),
                                           ("none", False, "none", False), ("pos_weight_mean", True, "mean", False),
                                           ("pos_weight_none", True, "none", False),
                                           ("extreme_logits_none", True, "none", True)]:
        x = rand(4, 3, low=-4, high=4)
        if extreme:
            x[0] = [60.0, -60.0, 95.0]
            x[1] = [-95.0, 30.0, -30.0]
        t = rand(4, 3, low=0, high=1)
        t[:, 0] = (t[:, 0] > 0.5).astype(np.float32)  # hard and soft labels
        p = rand(3, low=0.5, high=3.0) if pos else None
        arrays = {"logits": x, "targets": t, "output": bce_reference(x, t, p, reduction)}
        if pos:
            arrays["pos_weight"] = p
        save("binary_cross_entropy", name, arrays)
        cases.append({"name": name, "pos_weight": pos, "reduction": reduction})
    write_manifest("binary_cross_entropy", cases)

    cases = []
    for reduction in ["mean", "sum", "none"]:
        a, b = rand(3, 4), rand(3, 4)
        d = a.astype(np.float64) - b
        out = d * d
        out = out if reduction == "none" else np.array(out.sum() if reduction == "sum" else out.mean())
        save("mse", reduction, {"prediction": a, "target": b, "output": out})
        cases.append({"name": reduction, "reduction": reduction})
    write_manifest("mse", cases)


if __name__ == "__main__":
    make_conv2d()
    make_pooling()
    make_batch_norm()
    make_losses()
