"""The train request, checked again on the Python side (the TypeScript side validates it with zod first)."""
from dataclasses import dataclass, fields

from .model import ARCHITECTURES


@dataclass(frozen=True)
class TrainRequest:
    train_images: str
    train_labels: str
    output_dir: str
    test_images: str | None = None
    test_labels: str | None = None
    epochs: int = 5
    batch_size: int = 128
    lr: float = 3e-3
    weight_decay: float = 5e-4
    augment: float = 0.5
    seed: int = 0
    threads: int = 1
    device: str = "auto"
    architecture: str = "resnet-small"
    validation_size: int = 5000
    limit_train: int | None = None
    limit_test: int | None = None
    max_steps: int | None = None
    parity_samples: int = 8


_CHOICES = {"device": ("auto", "cpu", "cuda"), "architecture": tuple(ARCHITECTURES)}
_POSITIVE = ("epochs", "batch_size", "threads", "validation_size", "limit_train", "limit_test", "max_steps")


def parse_request(raw: object) -> TrainRequest:
    if not isinstance(raw, dict):
        raise ValueError("request must be a JSON object")
    known = {field.name: field for field in fields(TrainRequest)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"unknown request fields: {', '.join(unknown)}")
    request = TrainRequest(**raw)
    for name, allowed in _CHOICES.items():
        if getattr(request, name) not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}")
    for name in _POSITIVE:
        value = getattr(request, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValueError(f"{name} must be a positive integer")
    if not 0 <= request.augment <= 1:
        raise ValueError("augment must be between 0 and 1")
    if not request.lr > 0:
        raise ValueError("lr must be positive")
    return request
