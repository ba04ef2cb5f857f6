"""Kernel requests, checked again on the Python side (the TypeScript side validates them with zod first)."""
from dataclasses import dataclass, field, fields

from .models import CHAR_LSTM_SIZES, GPT2_SIZES
from .protocol import UserError


@dataclass(frozen=True)
class TrainRequest:
    family: str
    size: str
    vocab_size: int
    train_tokens: str
    val_tokens: str
    output_dir: str
    token_dtype: str = "uint16"
    context_length: int = 256
    batch_size: int = 32
    grad_accum: int = 1
    # Budgets: the run stops at the first one reached (none given: one epoch).
    epochs: float | None = None
    max_tokens: int | None = None
    time_budget_s: float | None = None
    max_steps: int | None = None
    lr: float = 3e-4
    min_lr_ratio: float = 0.1
    warmup_steps: int = 100
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    dropout: float | None = None
    precision: str = "auto"
    device: str = "auto"
    compile: str = "auto"
    threads: int = 1
    seed: int = 0
    eval_interval_s: float = 30.0
    eval_batches: int = 20
    early_stopping_patience: int | None = None
    step_event_interval_s: float = 2.0
    resume_from: str | None = None
    export_onnx: bool = True
    # Shape overrides (e.g. nanoGPT's baby GPT: 6 layers, 6 heads, 384 wide).
    model: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExportRequest:
    checkpoint: str
    output_dir: str


_TRAIN_CHOICES = {
    "family": ("gpt2", "char_lstm"),
    "token_dtype": ("uint16", "uint32"),
    "precision": ("auto", "fp32", "bf16", "fp16"),
    "device": ("auto", "cpu", "cuda"),
    "compile": ("auto", "on", "off"),
}
_POSITIVE_INTS = ("vocab_size", "context_length", "batch_size", "grad_accum", "max_tokens", "max_steps",
                  "threads", "eval_batches", "early_stopping_patience")
_NON_NEGATIVE_INTS = ("warmup_steps", "seed")
_POSITIVE_NUMBERS = ("epochs", "time_budget_s", "lr", "eval_interval_s", "step_event_interval_s")
_MODEL_KEYS = ("n_layer", "n_head", "n_embd", "hidden")


def _dataclass_of(cls, raw: object):
    if not isinstance(raw, dict):
        raise UserError("request must be a JSON object")
    known = {item.name for item in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise UserError(f"unknown request fields: {', '.join(unknown)}")
    try:
        return cls(**raw)
    except TypeError as error:
        raise UserError(str(error)) from error


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_train_request(raw: object) -> TrainRequest:
    request = _dataclass_of(TrainRequest, raw)
    for name, allowed in _TRAIN_CHOICES.items():
        if getattr(request, name) not in allowed:
            raise UserError(f"{name} must be one of {', '.join(allowed)}")
    sizes = GPT2_SIZES if request.family == "gpt2" else CHAR_LSTM_SIZES
    if request.size not in sizes:
        raise UserError(f"size of {request.family} must be one of {', '.join(sizes)}")
    for name in _POSITIVE_INTS:
        value = getattr(request, name)
        if value is not None and (not _is_int(value) or value < 1):
            raise UserError(f"{name} must be a positive integer")
    for name in _NON_NEGATIVE_INTS:
        value = getattr(request, name)
        if not _is_int(value) or value < 0:
            raise UserError(f"{name} must be a non-negative integer")
    for name in _POSITIVE_NUMBERS:
        value = getattr(request, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0):
            raise UserError(f"{name} must be a positive number")
    if request.token_dtype == "uint16" and request.vocab_size > 65536:
        raise UserError("a vocabulary over 65,536 needs token_dtype uint32")
    if not 0 <= request.min_lr_ratio <= 1 or not 0 <= request.weight_decay < 10 or request.grad_clip < 0:
        raise UserError("min_lr_ratio must be in [0, 1], weight_decay in [0, 10), grad_clip >= 0")
    if request.dropout is not None and not 0 <= request.dropout < 1:
        raise UserError("dropout must be in [0, 1)")
    if not isinstance(request.model, dict) or set(request.model) - set(_MODEL_KEYS) or not all(
            _is_int(value) and value > 0 for value in request.model.values()):
        raise UserError(f"model may only override positive integers {', '.join(_MODEL_KEYS)}")
    return request


def parse_export_request(raw: object) -> ExportRequest:
    return _dataclass_of(ExportRequest, raw)
