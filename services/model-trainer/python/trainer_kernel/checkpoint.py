"""Checkpoints: `last.pt` (everything needed to resume) and `best.pt` (weights at the best validation loss)."""
import os
import signal

import torch

from .models import ModelConfig, build_model
from .protocol import UserError

LAST = "last.pt"
BEST = "best.pt"


class CancelFlag:
    """SIGTERM only sets a flag; the loop stops at the next step and saves a checkpoint."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, _signum, _frame) -> None:
        self.requested = True


def save(path: str, payload: dict) -> None:
    # Written aside and renamed: a kill mid-write never leaves a truncated checkpoint behind.
    torch.save(payload, path + ".tmp")
    os.replace(path + ".tmp", path)


def load(path: str) -> dict:
    if not os.path.isfile(path):
        raise UserError(f"no checkpoint at {path}")
    try:
        payload = torch.load(path, map_location="cpu")
    except Exception as error:  # noqa: BLE001 - any unreadable file is the caller's bad checkpoint
        raise UserError(f"checkpoint {path} cannot be read: {error}") from error
    if not isinstance(payload, dict) or "model" not in payload or "config" not in payload:
        raise UserError(f"{path} is not a trainer checkpoint")
    return payload


def model_from(payload: dict) -> tuple[torch.nn.Module, ModelConfig]:
    config = ModelConfig(**payload["config"])
    model = build_model(config)
    model.load_state_dict(payload["model"])
    return model, config
