"""GPU host: torchvision.io.decode_jpeg(device='cuda') throughput at batch 1, 16, 128 and single-image latency,
on the same photo sets as bench/gpu/cuda-decode.mjs; encode_jpeg q90 latency on the first image and batched
encode_jpeg q90 throughput at batch 1, 16, 128.
    python3 bench/gpu/torchvision_decode.py OUT.json DIR...
"""
import json
import os
import sys
import time

import torch
import torchvision
from torchvision.io import ImageReadMode, decode_jpeg, encode_jpeg, read_file

SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))


def timed(run):
    for _ in range(3):
        run()
    torch.cuda.synchronize()
    laps = []
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS or len(laps) < 10:
        t = time.perf_counter()
        run()
        torch.cuda.synchronize()
        laps.append(time.perf_counter() - t)
    laps.sort()
    return len(laps), time.perf_counter() - start, laps[len(laps) // 2] * 1e3, laps[min(len(laps) - 1, int(0.99 * len(laps)))] * 1e3


def main():
    out, dirs = sys.argv[1], sys.argv[2:]
    report = {"torch": torch.__version__, "torchvision": torchvision.__version__, "gpu": torch.cuda.get_device_name(0), "sets": []}
    for d in dirs:
        files = sorted(f for f in os.listdir(d) if f.lower().endswith((".jpg", ".jpeg")))
        datas = [read_file(os.path.join(d, f)) for f in files]
        entry = {"name": os.path.basename(d), "images": len(datas), "batches": []}
        for batch in (1, 16, 128):
            items = [datas[i % len(datas)] for i in range(batch)]
            n, secs, p50, p99 = timed(lambda: decode_jpeg(items, device="cuda"))
            entry["batches"].append({"batch": batch, "imagesPerSecond": n * batch / secs, "batchP50ms": p50, "batchP99ms": p99})
        n, secs, p50, p99 = timed(lambda: decode_jpeg(datas[0], device="cuda"))
        entry["singleP50ms"], entry["singleP99ms"] = p50, p99
        img = decode_jpeg(datas[0], device="cuda")
        n, secs, p50, p99 = timed(lambda: encode_jpeg(img, quality=90))
        entry["encodeQ90P50ms"] = p50
        # Batched encode: the set's photos decoded on the GPU as RGB (CHW uint8), q90, a list per call.
        decoded = [decode_jpeg(data, device="cuda", mode=ImageReadMode.RGB) for data in datas]
        entry["encodeBatches"] = []
        for batch in (1, 16, 128):
            imgs = [decoded[i % len(decoded)] for i in range(batch)]
            n, secs, p50, p99 = timed(lambda: encode_jpeg(imgs, quality=90))
            entry["encodeBatches"].append({"batch": batch, "imagesPerSecond": n * batch / secs})
        report["sets"].append(entry)
        print(json.dumps(entry), flush=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=2)


main()
