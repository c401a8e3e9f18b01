#!/usr/bin/python3
"""Trains and exports the project's own tiny ONNX image classifier: a PLUMBING TEST MODEL, not a detector.

Class "real": 64x64 crops of the 33 real photos in testdata/fixtures/photos (at random scales).
Class "synthetic": the same kind of crops re-synthesised by downsampling 4x and upsampling back (bilinear or
nearest), the periodic interpolation texture that generator upsampling layers also leave. The model learns to
tell those two apart on these photos; it says nothing about real generator output, so its scores prove only that
the ONNX path (loading, sha256 pin, preprocessing, batching, label mapping) is right.

Writes, into detect/src/test/resources/models/plumbing/:
  plumbing-cnn.onnx        the model (opset 13, input "pixel_values" [N,3,64,64] float, output "logits" [N,2])
  plumbing-cnn.json        its spec (sha256 pin, normalisation, labels), the format ModelSpec reads
  golden/*.png             four 64x64 inputs (two real, two synthetic)
  golden/golden.json       the probabilities onnx export gave for them (Java compares within 1e-4)

Run with Debian's torch: /usr/bin/python3 detect/tools/train_plumbing_model.py  (about a minute on 2 cores).
"""
import hashlib, json, os, random, sys
import numpy as np
import torch, torch.nn as nn
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PHOTOS = os.path.join(ROOT, "testdata", "fixtures", "photos")
OUT = os.path.join(ROOT, "detect", "src", "test", "resources", "models", "plumbing")
SIZE = 64
SEED = 20261123

random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
torch.set_num_threads(2)

photos = [Image.open(os.path.join(PHOTOS, f)).convert("RGB") for f in sorted(os.listdir(PHOTOS)) if f.endswith(".jpg")]

def real_crop(rng):
    img = rng.choice(photos)
    scale = rng.uniform(0.08, 0.5)  # crop side as a fraction of the short side, resized to 64
    side = max(SIZE, int(min(img.size) * scale))
    x = rng.randrange(0, img.width - side + 1); y = rng.randrange(0, img.height - side + 1)
    return img.crop((x, y, x + side, y + side)).resize((SIZE, SIZE), Image.BILINEAR)

def synthetic(crop, rng):
    small = crop.resize((SIZE // 4, SIZE // 4), Image.BILINEAR)
    return small.resize((SIZE, SIZE), rng.choice([Image.BILINEAR, Image.NEAREST]))

def to_tensor(img):
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = (a - 0.5) / 0.5  # the spec's image_mean / image_std
    return torch.from_numpy(a.transpose(2, 0, 1).copy())

def batch(rng, n):
    xs, ys = [], []
    for _ in range(n):
        c = real_crop(rng)
        if rng.random() < 0.5:
            xs.append(to_tensor(c)); ys.append(0)
        else:
            xs.append(to_tensor(synthetic(c, rng))); ys.append(1)
    return torch.stack(xs), torch.tensor(ys)

class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(16, 2)
    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))

model = TinyCnn()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
rng = random.Random(SEED)
for step in range(400):
    x, y = batch(rng, 32)
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 100 == 0:
        print(f"step {step} loss {loss.item():.4f}", flush=True)

model.eval()
test_rng = random.Random(SEED + 1)
with torch.no_grad():
    x, y = batch(test_rng, 400)
    acc = (model(x).argmax(1) == y).float().mean().item()
print(f"held-out accuracy on 400 fresh crops: {acc:.4f}")

os.makedirs(os.path.join(OUT, "golden"), exist_ok=True)
onnx_path = os.path.join(OUT, "plumbing-cnn.onnx")
torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), onnx_path, opset_version=13,
                  input_names=["pixel_values"], output_names=["logits"],
                  dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()

spec = {
    "name": "aigcmark-plumbing-cnn",
    "model_file": "plumbing-cnn.onnx",
    "sha256": sha,
    "input_name": "pixel_values",
    "output_name": "logits",
    "output": "logits",
    "size": {"height": SIZE, "width": SIZE},
    "resize_mode": "stretch",
    "image_mean": [0.5, 0.5, 0.5],
    "image_std": [0.5, 0.5, 0.5],
    "rescale_factor": 1.0 / 255.0,
    "channel_order": "RGB",
    "layout": "NCHW",
    "id2label": {"0": "real", "1": "synthetic"},
    "fake_labels": ["synthetic"],
    "face_crop": False,
    "licence": "Apache-2.0 (trained by the aigcmark project)",
    "commercial_use": True,
    "source_url": "detect/tools/train_plumbing_model.py",
    "caveat": "plumbing test model: separates real photo crops from 4x-upsampled copies of them; not a detector of AI images",
    "held_out_accuracy": round(acc, 4),
}
json.dump(spec, open(os.path.join(OUT, "plumbing-cnn.json"), "w"), indent=2)

golden_rng = random.Random(SEED + 2)
cases = []
for i in range(4):
    c = real_crop(golden_rng)
    img = c if i % 2 == 0 else synthetic(c, golden_rng)
    name = f"golden-{i}-{'real' if i % 2 == 0 else 'synthetic'}.png"
    img.save(os.path.join(OUT, "golden", name))
    # Compute from the saved PNG (lossless) so Java sees exactly these pixels.
    with torch.no_grad():
        probs = torch.softmax(model(to_tensor(Image.open(os.path.join(OUT, "golden", name)).convert("RGB")).unsqueeze(0)), 1)[0]
    cases.append({"file": name, "probabilities": [round(float(p), 7) for p in probs]})
json.dump({"model_sha256": sha, "cases": cases}, open(os.path.join(OUT, "golden", "golden.json"), "w"), indent=2)
print("sha256", sha, "size", os.path.getsize(onnx_path))
