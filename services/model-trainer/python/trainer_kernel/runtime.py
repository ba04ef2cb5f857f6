"""Device, precision, optimizer and compilation choices, each used only where this torch supports it."""
import contextlib
import inspect
import math

import torch

from .protocol import UserError


def pick_device(requested: str) -> torch.device:
    if requested == "cuda" and not torch.cuda.is_available():
        raise UserError("device cuda requested but no CUDA device is available")
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)


def pick_precision(requested: str, device: torch.device) -> str:
    if requested == "auto":
        return "bf16" if device.type == "cuda" and torch.cuda.is_bf16_supported() else "fp32"
    if requested == "fp16" and device.type != "cuda":
        raise UserError("precision fp16 needs a CUDA device (use bf16 or fp32 on CPU)")
    if requested == "bf16" and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        raise UserError("this GPU does not support bf16 (use fp16 or fp32)")
    return requested


def autocast(device: torch.device, precision: str):
    if precision == "fp32":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast(device.type, dtype=dtype)


def grad_scaler(precision: str):
    """fp16 needs loss scaling; bf16 and fp32 do not (a disabled scaler is a no-op)."""
    return torch.cuda.amp.GradScaler(enabled=precision == "fp16")


def make_optimizer(model: torch.nn.Module, lr: float, weight_decay: float, betas: tuple[float, float],
                   device: torch.device) -> torch.optim.Optimizer:
    # Decay matrices only: biases, LayerNorm gains and (through the tied head) nothing twice.
    params = [parameter for parameter in model.parameters() if parameter.requires_grad]
    decay = [parameter for parameter in params if parameter.dim() >= 2]
    no_decay = [parameter for parameter in params if parameter.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    extra = {}
    if device.type == "cuda" and "fused" in inspect.signature(torch.optim.AdamW).parameters:
        extra["fused"] = True
    return torch.optim.AdamW(groups, lr=lr, betas=betas, **extra)


def maybe_compile(model: torch.nn.Module, requested: str, device: torch.device):
    """torch.compile on CUDA when present (on CPU it needs a compiler toolchain and rarely pays off)."""
    available = hasattr(torch, "compile")
    if requested == "on" and not available:
        raise UserError("compile on requested but this torch has no torch.compile")
    if requested == "on" or (requested == "auto" and available and device.type == "cuda"):
        return torch.compile(model), True
    return model, False


def lr_at(step: int, progress: float, base_lr: float, warmup_steps: int, min_ratio: float) -> float:
    """Linear warmup over `warmup_steps`, then cosine to `min_ratio * base_lr` as `progress` goes 0 -> 1."""
    if warmup_steps and step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = min(max(progress, 0.0), 1.0)
    return base_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def peak_flops(device: torch.device, precision: str) -> float | None:
    """Dense peak FLOP/s of the card for MFU (H100/H200 989 TF bf16, A100 312); unknown cards: None."""
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    table = {"H200": 989e12, "H100": 989e12, "A100": 312e12, "L40S": 362e12, "4090": 165e12}
    for key, value in table.items():
        if key in name:
            return value if precision in ("bf16", "fp16") else value / 2
    return None
