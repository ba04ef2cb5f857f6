"""GPU half of `npm run bench -- trainer` (also runs alone on a GPU machine with PyTorch and no Node.js):
1. GPT-2 small (124M), context 1024, bf16: the kernel's own training loop including its data path
   (memory-mapped random tokens, background loader) vs ../shared/bench/gpt2_plain_pytorch.py (plain
   PyTorch + torch.compile on random tokens), same card, same run; tokens/s and MFU.
2. nanoGPT's baby GPT (6 layers, 6 heads, 384 wide, context 256) on shakespeare-char: validation loss
   and wall time (nanoGPT: 1.47 in about 3 minutes on an A100).
Prints one JSON object per line."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNEL = os.path.join(ROOT, "services", "model-trainer", "python")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def kernel(request: dict) -> list[dict]:
    run = subprocess.run([sys.executable, "-m", "trainer_kernel", "train"], input=json.dumps(request), cwd=KERNEL,
                         capture_output=True, text=True, check=False)
    events = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0:
        raise SystemExit(f"kernel failed: {run.stderr[-2000:]}")
    return events


def gpt2_small(work: str) -> dict:
    tokens = np.random.default_rng(0).integers(0, 50257, size=40_000_000, dtype=np.uint16)
    for name in ("train", "val"):
        tokens.tofile(os.path.join(work, f"{name}.bin"))
    events = kernel({
        "family": "gpt2", "size": "small", "vocab_size": 50304, "train_tokens": os.path.join(work, "train.bin"),
        "val_tokens": os.path.join(work, "val.bin"), "output_dir": os.path.join(work, "gpt2"), "context_length": 1024,
        "batch_size": 16, "max_steps": 60, "lr": 6e-4, "warmup_steps": 10, "precision": "bf16", "device": "cuda",
        "compile": "on", "dropout": 0.0, "eval_interval_s": 10_000, "eval_batches": 1, "step_event_interval_s": 2,
        "export_onnx": False,
    })
    steps = [event for event in events if event.get("kind") == "step"][1:]  # the first window includes compilation
    best = max(steps, key=lambda event: event["tokens_per_s"])
    return {"case": "gpt2-small bf16 ctx 1024", "subject": "trainer_kernel", "tokens_per_s": round(best["tokens_per_s"]),
            "mfu": round(best.get("mfu", 0), 3)}


def baby_gpt(work: str) -> dict:
    text = open(os.path.join(SHARED, "datasets", "tinyshakespeare.txt"), encoding="utf-8").read()
    chars = sorted(set(text))
    ids = np.array([chars.index(c) for c in text], dtype=np.uint16)
    split = int(len(ids) * 0.9)  # nanoGPT's split: the last 10% is validation
    ids[:split].tofile(os.path.join(work, "char-train.bin"))
    ids[split:].tofile(os.path.join(work, "char-val.bin"))
    events = kernel({
        "family": "gpt2", "size": "small", "model": {"n_layer": 6, "n_head": 6, "n_embd": 384}, "vocab_size": len(chars),
        "train_tokens": os.path.join(work, "char-train.bin"), "val_tokens": os.path.join(work, "char-val.bin"),
        "output_dir": os.path.join(work, "baby"), "context_length": 256, "batch_size": 64, "max_steps": 5000, "lr": 1e-3,
        "min_lr_ratio": 0.1, "warmup_steps": 100, "weight_decay": 0.1, "beta2": 0.99, "dropout": 0.2, "precision": "bf16",
        "device": "cuda", "eval_interval_s": 15, "eval_batches": 200, "time_budget_s": 180, "export_onnx": False,
    })
    done = [event for event in events if event.get("kind") == "completed"][-1]
    return {"case": "baby GPT shakespeare-char", "subject": "trainer_kernel", "best_val_loss": round(done["best_val_loss"], 4),
            "elapsed_s": done["elapsed_s"], "steps": done["steps"]}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        print(json.dumps(gpt2_small(work)), flush=True)
        peer = subprocess.run([sys.executable, os.path.join(SHARED, "bench", "gpt2_plain_pytorch.py")],
                              capture_output=True, text=True, check=False)
        print(peer.stdout.strip() or json.dumps({"peer_failed": peer.stderr[-2000:]}), flush=True)
        print(json.dumps(baby_gpt(work)), flush=True)


if __name__ == "__main__":
    main()
