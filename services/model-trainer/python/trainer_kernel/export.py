"""ONNX export (opset 17, dynamic batch and sequence axes) with a parity sample for the Node side."""
import json
import os
import platform

import numpy as np
import torch

from . import checkpoint
from .models import CharLSTM, ModelConfig, logits_of
from .protocol import emit

ONNX_OPSET = 17


class _LstmStep(torch.nn.Module):
    """The LSTM with explicit state in and out, so Node can feed one token at a time."""

    def __init__(self, model: CharLSTM) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, h0, c0):
        return self.model(input_ids, h0, c0)


def write_json(path: str, value: object) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=2)
        handle.write("\n")


def _export_onnx(model: torch.nn.Module, config: ModelConfig, path: str) -> dict:
    ids = torch.zeros(1, min(8, config.context_length), dtype=torch.long)
    if config.family == "gpt2":
        model.set_sdpa(False)
        torch.onnx.export(model, (ids,), path, opset_version=ONNX_OPSET, input_names=["input_ids"],
                          output_names=["logits"], do_constant_folding=True,
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}})
        return {"inputs": ["input_ids"], "outputs": ["logits"]}
    h0, c0 = model.initial_state(1, torch.device("cpu"))
    state_axes = {1: "batch"}
    # eval() on the wrapper too: export restores the wrapper's mode afterwards, and with it the model's.
    torch.onnx.export(_LstmStep(model).eval(), (ids, h0, c0), path, opset_version=ONNX_OPSET,
                      input_names=["input_ids", "h0", "c0"], output_names=["logits", "hn", "cn"],
                      do_constant_folding=True,
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"},
                                    "h0": state_axes, "c0": state_axes, "hn": state_axes, "cn": state_axes})
    return {"inputs": ["input_ids", "h0", "c0"], "outputs": ["logits", "hn", "cn"],
            "state_shape": [config.n_layer, None, config.hidden]}


def _parity(model: torch.nn.Module, config: ModelConfig) -> dict:
    generator = torch.Generator().manual_seed(0)
    length = min(16, config.context_length)
    ids = torch.randint(0, config.vocab_size, (2, length), generator=generator)
    with torch.no_grad():
        logits = logits_of(model, ids)
    return {"input_ids": ids.tolist(), "logits_shape": list(logits.shape), "logits": logits.flatten().tolist()}


def write_outputs(model: torch.nn.Module, config: ModelConfig, out: str, info: dict) -> list[str]:
    """model.pt, model.onnx, config.json and parity.json in `out`, from the float32 CPU copy of `model`."""
    os.makedirs(out, exist_ok=True)
    model = model.float().cpu().eval()
    torch.save({"config": config.to_dict(), "model": model.state_dict()}, os.path.join(out, "model.pt"))
    parity = _parity(model, config)
    onnx = _export_onnx(model, config, os.path.join(out, "model.onnx"))
    write_json(os.path.join(out, "parity.json"), parity)
    write_json(os.path.join(out, "config.json"), {
        "model": config.to_dict(), "onnx": {"opset": ONNX_OPSET, **onnx},
        "framework": {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version()},
        **info,
    })
    files = ["model.onnx", "model.pt", "config.json", "parity.json"]
    for name in files:
        emit("artifact", name=name, path=os.path.join(out, name), bytes=os.path.getsize(os.path.join(out, name)))
    return files


def export_checkpoint(request) -> dict:
    """The `export` command: a `last.pt` or `best.pt` (for example of a cancelled run) to a servable folder."""
    payload = checkpoint.load(request.checkpoint)
    model, config = checkpoint.model_from(payload)
    state = payload.get("state", {})
    files = write_outputs(model, config, request.output_dir, {"metrics": state.get("metrics", {}), "step": state.get("step")})
    return {"status": "completed", "files": files}
