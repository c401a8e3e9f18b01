#!/usr/bin/python3
"""Converts the upstream MesoNet Keras weights (DariusAf/MesoNet, Apache-2.0) into ONNX, without Keras or torch.

MesoNet (Afchar, Nozick, Yamagishi, Echizen, WIFS 2018, arXiv:1809.00888) ships weights only (Keras 2.1.5
save_weights .h5, no graph). This script rebuilds the two networks of upstream classifiers.py directly as an ONNX
graph (opset 13) from the .h5 tensors:

  Meso-4:          4 x [Conv(k, same) -> ReLU -> BatchNorm -> MaxPool], Flatten, Dense(16), Dense(1) -> sigmoid
  MesoInception-4: 2 x [Inception(1x1 | 1x1,3x3 | 1x1,3x3 dil 2 | 1x1,3x3 dil 3) -> BatchNorm -> MaxPool],
                   2 conv blocks as Meso-4, Flatten, Dense(16) -> LeakyReLU(0.1), Dense(1) -> sigmoid

Keras is NHWC; the ONNX graph is NCHW (what ModelSpec feeds), so kernels are transposed to OIHW and the features are
transposed back to NHWC before Flatten, keeping the Dense weights' row order. BatchNorm epsilon is Keras' 1e-3.
Both networks get classifiers.py's LeakyReLU(0.1) after Dense(16), as upstream's own Meso4().load(...) runs them.
(The Meso-4 .h5 files list no leaky_re_lu layer, so they may have been trained with a linear Dense(16); the scores
on the four crops move by 0.01-0.16 without it but keep their side of 0.5. We follow upstream's inference code.)

I/O: input "input" float32 [N,3,256,256] RGB, pixel/255; output "score" float32 [N,1] = sigmoid, ~1 REAL, ~0 FAKE
(Keras flow_from_directory: df=0, real=1).

Each model is checked twice before it is written: a plain numpy forward pass in Keras' own layout (NHWC, the .h5
tensors used as stored) and OpenCV's ONNX runtime (cv2.dnn) on the written graph, both against the expected
scores of SOURCE.md on the four upstream face crops (PIL NEAREST resize to 256, as Keras' load_img), within 2e-3.

Writes, into detect/src/main/resources/org/aigcmark/detect/model/mesonet/:
  mesonet-df.onnx, mesonet-f2f.onnx, mesoinception-df.onnx, mesoinception-f2f.onnx   and a .json spec for each
plus LICENSE and NOTICE copied from upstream. The four crops are test fixtures (testdata/fixtures/faces/mesonet).

Needs Debian's python3-h5py python3-onnx python3-numpy python3-pil python3-opencv:
  /usr/bin/python3 detect/tools/convert_mesonet.py [MESONET_DIR]   (default: ../shared/models/mesonet)
The output is byte-for-byte reproducible (no timestamps), so the sha256 pins in the specs stay stable.
"""
import hashlib, json, os, shutil, sys
import numpy as np
import h5py
import onnx
from onnx import helper, numpy_helper, TensorProto
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SRC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "..", "shared", "models", "mesonet"))
OUT = os.path.join(ROOT, "detect", "src", "main", "resources", "org", "aigcmark", "detect", "model", "mesonet")
EPS = 1e-3  # Keras BatchNormalization default
SIZE = 256
TOLERANCE = 2e-3

# name -> (weights file, architecture, trained on, expected scores from SOURCE.md on df00204 df01254 real00240 real00772)
MODELS = {
    "mesonet-df": ("Meso4_DF.h5", "meso4", "Deepfake", [0.0414, 0.0487, 0.9897, 0.9977]),
    "mesonet-f2f": ("Meso4_F2F.h5", "meso4", "Face2Face", [0.8312, 0.6411, 0.8810, 0.9524]),
    "mesoinception-df": ("MesoInception_DF.h5", "inception", "Deepfake", [0.0262, 0.0010, 1.0000, 1.0000]),
    "mesoinception-f2f": ("MesoInception_F2F.h5", "inception", "Face2Face", [0.9987, 1.0000, 1.0000, 0.9908]),
}
CROPS = ["df/df00204.jpg", "df/df01254.jpg", "real/real00240.jpg", "real/real00772.jpg"]

ERA = ("2018-era manipulations: weak on modern face swaps, says nothing about diffusion images; scores depend on "
       "the face crop (upstream aligned faces, we crop BlazeFace boxes)")
CAVEAT = {
    "Deepfake": "MesoNet (Afchar et al., WIFS 2018) trained on the authors' 2018 Deepfake face-swap set; published "
                "accuracy up to 91.7% per frame (MesoInception-4) and 98.4% per video on that set; " + ERA,
    "Face2Face": "MesoNet (Afchar et al., WIFS 2018) trained on FaceForensics Face2Face reenactments; published accuracy "
                 "about 95% per video on that set; not meant for face swaps; " + ERA,
}


def load(path):
    """Layer name -> list of weight arrays in Keras' stored order, and the saved layer names."""
    with h5py.File(path, "r") as f:
        g = f["model_weights"] if "model_weights" in f else f
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["layer_names"]]
        layers = {}
        for n in names:
            wn = [w.decode() if isinstance(w, bytes) else w for w in g[n].attrs["weight_names"]]
            layers[n] = {w.split("/")[-1].split(":")[0]: np.array(g[n][w]) for w in wn}
        return names, layers


def by_kind(names, kind):
    """Layers of one kind in creation order (the numeric suffix; the saved order is topological, not creation)."""
    found = [n for n in names if n.rsplit("_", 1)[0] == kind]
    return sorted(found, key=lambda n: int(n.rsplit("_", 1)[1]))


def plan(path, arch):
    """The network as a list of steps with their weights, shared by the numpy check and the ONNX builder."""
    names, layers = load(path)
    convs = [layers[n] for n in by_kind(names, "conv2d")]
    bns = [layers[n] for n in by_kind(names, "batch_normalization")]
    dense = [layers[n] for n in by_kind(names, "dense")]
    leaky = any(n.startswith("leaky_re_lu") for n in names)  # only recorded; LeakyReLU is always applied (see top)
    steps = []
    if arch == "meso4":
        assert len(convs) == 4 and len(bns) == 4 and len(dense) == 2, path
        for conv, bn, pool in zip(convs, bns, [2, 2, 2, 4]):
            steps += [("conv", conv, 1), ("relu",), ("bn", bn), ("pool", pool)]
    else:
        assert len(convs) == 16 and len(bns) == 4 and len(dense) == 2, path
        for block in range(2):
            c = convs[7 * block: 7 * block + 7]  # creation order: a 1x1 | b 1x1, 3x3 | c 1x1, 3x3 d2 | d 1x1, 3x3 d3
            steps += [("inception", c), ("bn", bns[block]), ("pool", 2)]
        for conv, bn, pool in zip(convs[14:], bns[2:], [2, 4]):
            steps += [("conv", conv, 1), ("relu",), ("bn", bn), ("pool", pool)]
    steps += [("flatten",), ("dense", dense[0]), ("leaky", 0.1), ("dense", dense[1]), ("sigmoid",)]
    # trainable parameters, as the paper counts them (27,977 for Meso-4): BN moving statistics left out
    params = sum(a.size for l in layers.values() for k, a in l.items() if not k.startswith("moving_"))
    return steps, params, leaky


# ---- numpy forward pass in Keras' layout (NHWC, kernels HWIO as stored) ----

def np_conv(x, conv, dilation):
    k, b = conv["kernel"], conv["bias"]
    kh, kw = k.shape[:2]
    ph, pw = (kh - 1) * dilation // 2, (kw - 1) * dilation // 2
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h, w, k.shape[3]), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * dilation: i * dilation + h, j * dilation: j * dilation + w, :]
            out += patch @ k[i, j].astype(np.float64)
    return out + b


def np_forward(steps, x):
    relu = lambda v: np.maximum(v, 0)
    for s in steps:
        if s[0] == "conv":
            x = np_conv(x, s[1], s[2])
        elif s[0] == "inception":
            c = s[1]
            x = np.concatenate([relu(np_conv(x, c[0], 1)),
                                relu(np_conv(relu(np_conv(x, c[1], 1)), c[2], 1)),
                                relu(np_conv(relu(np_conv(x, c[3], 1)), c[4], 2)),
                                relu(np_conv(relu(np_conv(x, c[5], 1)), c[6], 3))], axis=-1)
        elif s[0] == "relu":
            x = relu(x)
        elif s[0] == "bn":
            bn = s[1]
            x = (x - bn["moving_mean"]) / np.sqrt(bn["moving_variance"] + EPS) * bn["gamma"] + bn["beta"]
        elif s[0] == "pool":
            p = s[1]
            n, h, w, c = x.shape
            x = x.reshape(n, h // p, p, w // p, p, c).max(axis=(2, 4))
        elif s[0] == "flatten":
            x = x.reshape(x.shape[0], -1)
        elif s[0] == "dense":
            x = x @ s[1]["kernel"] + s[1]["bias"]
        elif s[0] == "leaky":
            x = np.where(x > 0, x, s[1] * x)
        elif s[0] == "sigmoid":
            x = 1 / (1 + np.exp(-x))
    return x


# ---- ONNX graph (NCHW) ----

class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, kind):
        self.count += 1
        return f"{kind}_{self.count}"

    def const(self, kind, array):
        n = self.name(kind)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), n))
        return n

    def node(self, op, inputs, out=None, **attrs):
        out = out or self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv(self, x, conv, dilation):
        k = conv["kernel"]  # Keras HWIO -> ONNX OIHW
        kh, kw = k.shape[:2]
        ph, pw = (kh - 1) * dilation // 2, (kw - 1) * dilation // 2
        return self.node("Conv", [x, self.const("W", k.transpose(3, 2, 0, 1)), self.const("B", conv["bias"])],
                         kernel_shape=[kh, kw], pads=[ph, pw, ph, pw], dilations=[dilation, dilation], strides=[1, 1])


def build_onnx(steps, name, doc):
    g = Graph()
    x = "input"
    for s in steps:
        if s[0] == "conv":
            x = g.conv(x, s[1], s[2])
        elif s[0] == "inception":
            c = s[1]
            r = lambda v: g.node("Relu", [v])
            x = g.node("Concat", [r(g.conv(x, c[0], 1)),
                                  r(g.conv(r(g.conv(x, c[1], 1)), c[2], 1)),
                                  r(g.conv(r(g.conv(x, c[3], 1)), c[4], 2)),
                                  r(g.conv(r(g.conv(x, c[5], 1)), c[6], 3))], axis=1)
        elif s[0] == "relu":
            x = g.node("Relu", [x])
        elif s[0] == "bn":
            bn = s[1]
            x = g.node("BatchNormalization", [x, g.const("gamma", bn["gamma"]), g.const("beta", bn["beta"]),
                                              g.const("mean", bn["moving_mean"]), g.const("var", bn["moving_variance"])],
                       epsilon=EPS)
        elif s[0] == "pool":
            x = g.node("MaxPool", [x], kernel_shape=[s[1], s[1]], strides=[s[1], s[1]])
        elif s[0] == "flatten":
            x = g.node("Flatten", [g.node("Transpose", [x], perm=[0, 2, 3, 1])], axis=1)  # Keras flattens NHWC
        elif s[0] == "dense":
            # weights as [out, in] with transB, as exporters write it (OpenCV's importer needs that form)
            x = g.node("Gemm", [x, g.const("W", s[1]["kernel"].T), g.const("B", s[1]["bias"])], transB=1)
        elif s[0] == "leaky":
            x = g.node("LeakyRelu", [x], alpha=s[1])
        elif s[0] == "sigmoid":
            x = g.node("Sigmoid", [x], out="score")
    graph = helper.make_graph(g.nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, SIZE, SIZE])],
                              [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="aigcmark convert_mesonet.py",
                              doc_string=doc)
    model.ir_version = 7  # opset 13's IR version: loadable by every ONNX Runtime since 1.6
    onnx.checker.check_model(model)
    return model


def crops_nhwc():
    """The four upstream crops as Keras' load_img(target_size=(256,256)) gives them: PIL NEAREST, then /255."""
    images = [Image.open(os.path.join(SRC, "test_images", c)).convert("RGB").resize((SIZE, SIZE), Image.NEAREST) for c in CROPS]
    return images, np.stack([np.asarray(i, dtype=np.float64) / 255.0 for i in images])


def cv2_scores(path, x_nhwc):
    try:
        import cv2
    except ImportError:
        print("  (python3-opencv missing: ONNX graph not run here; the Java tests run it)")
        return None
    net = cv2.dnn.readNetFromONNX(path)
    net.setInput(x_nhwc.transpose(0, 3, 1, 2).astype(np.float32))
    return net.forward().reshape(-1)


def main():
    os.makedirs(OUT, exist_ok=True)
    for legal in ("LICENSE", "NOTICE"):
        shutil.copyfile(os.path.join(SRC, legal), os.path.join(OUT, legal))
    images, x = crops_nhwc()
    failed = False
    for name, (h5, arch, trained, expected) in MODELS.items():
        steps, params, leaky = plan(os.path.join(SRC, "keras-weights", h5), arch)
        ref = np_forward(steps, x).reshape(-1)
        doc = (f"MesoNet {'Meso-4' if arch == 'meso4' else 'MesoInception-4'} ({trained} weights {h5}), converted from "
               "github.com/DariusAf/MesoNet @ 2144d56a30e48cdcac1976ff13a1c5cdc86376c6 by detect/tools/convert_mesonet.py. "
               "Apache-2.0, see NOTICE. Input [N,3,256,256] RGB /255; output sigmoid, ~1 REAL, ~0 FAKE.")
        model = build_onnx(steps, name, doc)
        onnx_path = os.path.join(OUT, name + ".onnx")
        data = model.SerializeToString()
        with open(onnx_path, "wb") as f:
            f.write(data)
        runtime = cv2_scores(onnx_path, x)
        sha = hashlib.sha256(data).hexdigest()
        ok = np.all(np.abs(ref - expected) <= TOLERANCE) and (runtime is None or np.all(np.abs(runtime - expected) <= TOLERANCE))
        failed |= not ok
        print(f"{name}: {params} trainable parameters, leaky_re_lu layer in the .h5: {leaky}, sha256 {sha}, {len(data)} bytes")
        print(f"  expected {expected}\n  numpy    {np.round(ref, 4).tolist()}\n  cv2.dnn  "
              f"{None if runtime is None else np.round(runtime, 4).tolist()}  {'OK' if ok else 'MISMATCH'}")
        spec = {
            "name": name,
            "model_file": name + ".onnx",
            "sha256": sha,
            "input_name": "input",
            "output_name": "score",
            "size": {"height": SIZE, "width": SIZE},
            "resize_mode": "stretch_nearest",  # Keras load_img: PIL NEAREST
            "image_mean": [0.0, 0.0, 0.0],
            "image_std": [1.0, 1.0, 1.0],
            "rescale_factor": 1 / 255,
            "layout": "NCHW",
            "channel_order": "RGB",
            "output": "probabilities",
            "id2label": {"0": "fake", "1": "real"},
            "fake_labels": ["fake"],
            "face_crop": True,
            "face_margin": 0.2,  # upstream pipeline.py expand_location_zone(margin=0.2)
            "licence": "Apache-2.0",
            "commercial_use": True,
            "source_url": "https://github.com/DariusAf/MesoNet",
            "caveat": CAVEAT[trained],
        }
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(spec, f, indent=2)
            f.write("\n")
    if failed:
        sys.exit("convert_mesonet: a model does not reproduce the expected scores")


if __name__ == "__main__":
    main()
