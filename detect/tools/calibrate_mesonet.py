#!/usr/bin/python3
"""Measures the bundled MesoNet models on a small set built here: real face crops vs. the same faces manipulated.

Real: the three real face crops in the repo (MesoNet's real00240 and real00772, and the NASA astronaut's face cut at
the box BlazeFace finds, [113, 51, 58, 58] grown by the spec's 20% margin), each as is and after benign processing a
platform sees (JPEG quality 90/70/50, mirror, 0.75x downscale).
Manipulated:
  swap      OpenCV seamlessClone of one real face into another (3x2 ordered pairs x 2 mask sizes x NORMAL/MIXED)
  upsample  each real face downscaled 2x / 4x and scaled back (nearest, bilinear): generator-like upsampling
  noise     Gaussian noise sigma 4 / 8 / 16 (GAN-like high-frequency texture, crudely)
The crops are already face crops, so they go to the model directly (as upstream's test_images), through the model's
own preprocessing (PIL NEAREST to 256, /255). Scores are P(fake) = 1 - output. OpenCV's ONNX runtime runs the
bundled .onnx files (it agrees with ONNX Runtime to 1e-4 on the upstream crops, see convert_mesonet.py).

  /usr/bin/python3 detect/tools/calibrate_mesonet.py      (Debian python3-opencv python3-pil python3-numpy; 10 s)
Prints one table per model; docs/DETECT-MODELS.md quotes it. Three identities cannot establish a false-positive rate:
this shows how the threshold behaves, nothing more.
"""
import io, os
import numpy as np
import cv2
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(ROOT, "detect", "src", "main", "resources", "org", "aigcmark", "detect", "model", "mesonet")
FACES = os.path.join(ROOT, "testdata", "fixtures", "faces")
SEED = 20261207


def real_faces():
    out = {n: Image.open(os.path.join(FACES, "mesonet", n + ".jpg")).convert("RGB") for n in ("real00240", "real00772")}
    x, y, w, h = 113, 51, 58, 58  # BlazeFace's box on the astronaut (detect --json), grown by the 20% margin
    m = 0.2 * w
    out["astronaut"] = Image.open(os.path.join(FACES, "astronaut-nasa.jpg")).convert("RGB").crop(
        (round(x - m), round(y - m), round(x + w + m), round(y + h + m)))
    return out


def jpeg(img, q):
    b = io.BytesIO()
    img.save(b, "JPEG", quality=q)
    return Image.open(io.BytesIO(b.getvalue())).convert("RGB")


def benign(name, img):
    yield name, img
    for q in (90, 70, 50):
        yield f"{name} jpeg{q}", jpeg(img, q)
    yield f"{name} mirror", img.transpose(Image.FLIP_LEFT_RIGHT)
    yield f"{name} 0.75x", img.resize((round(img.width * 0.75), round(img.height * 0.75)), Image.LANCZOS)


def swaps(faces):
    names = sorted(faces)
    for src in names:
        for dst in names:
            if src == dst:
                continue
            d = np.asarray(faces[dst])[:, :, ::-1].copy()
            s = cv2.resize(np.asarray(faces[src])[:, :, ::-1], (d.shape[1], d.shape[0]), interpolation=cv2.INTER_AREA)
            for frac in (0.6, 0.75):
                mask = np.zeros(d.shape[:2], np.uint8)
                c = (d.shape[1] // 2, d.shape[0] // 2)
                cv2.ellipse(mask, c, (int(d.shape[1] * frac / 2), int(d.shape[0] * frac / 1.7)), 0, 0, 360, 255, -1)
                for flag, fname in ((cv2.NORMAL_CLONE, "normal"), (cv2.MIXED_CLONE, "mixed")):
                    out = cv2.seamlessClone(s, d, mask, c, flag)
                    yield f"{src}->{dst} {frac} {fname}", Image.fromarray(out[:, :, ::-1].copy())


def upsampled(faces):
    for n, img in faces.items():
        for f in (2, 4):
            small = img.resize((img.width // f, img.height // f), Image.BILINEAR)
            for r, rn in ((Image.NEAREST, "nearest"), (Image.BILINEAR, "bilinear")):
                yield f"{n} /{f} {rn}", small.resize(img.size, r)


def noisy(faces):
    rng = np.random.default_rng(SEED)
    for n, img in faces.items():
        a = np.asarray(img, dtype=np.float64)
        for sigma in (4, 8, 16):
            yield f"{n} noise{sigma}", Image.fromarray(np.clip(a + rng.normal(0, sigma, a.shape), 0, 255).round().astype(np.uint8))


def score(net, images):
    x = np.stack([np.asarray(i.resize((256, 256), Image.NEAREST), dtype=np.float32) / 255.0 for i in images])
    net.setInput(x.transpose(0, 3, 1, 2).copy())
    return 1.0 - net.forward().reshape(-1)


def main():
    faces = real_faces()
    sets = {
        "real (3 faces x 6 benign versions)": [i for n, img in faces.items() for i in benign(n, img)],
        "swap (seamlessClone)": list(swaps(faces)),
        "upsample (2x/4x)": list(upsampled(faces)),
        "noise (sigma 4-16)": list(noisy(faces)),
    }
    for model in ("mesoinception-df", "mesonet-df", "mesoinception-f2f", "mesonet-f2f"):
        net = cv2.dnn.readNetFromONNX(os.path.join(MODELS, model + ".onnx"))
        print(f"\n{model}: P(fake), share >= 0.5")
        real_max = None
        for label, items in sets.items():
            s = score(net, [i for _, i in items])
            if label.startswith("real"):
                real_max = s.max()
                worst = items[int(s.argmax())][0]
            print(f"  {label:38s} n={len(s):3d}  median {np.median(s):.3f}  max {s.max():.3f}  >=0.5: {np.mean(s >= 0.5):.0%}")
        print(f"  highest real: {real_max:.3f} ({worst})")
        for label, items in list(sets.items())[1:]:
            s = score(net, [i for _, i in items])
            print(f"  above the highest real score: {label:24s} {np.mean(s > real_max):.0%}")


if __name__ == "__main__":
    main()
