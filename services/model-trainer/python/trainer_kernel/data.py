"""Memory-mapped token files (flat uint16/uint32, written by the TypeScript side) and a background loader."""
import os
import queue
import threading

import numpy as np
import torch

from .protocol import UserError


def open_tokens(path: str, dtype: str, vocab_size: int, context_length: int, what: str) -> np.ndarray:
    itemsize = np.dtype(dtype).itemsize
    size = os.path.getsize(path)
    if size % itemsize:
        raise UserError(f"{what} token file is not a whole number of {dtype} values")
    if size // itemsize < context_length + 1:
        raise UserError(f"{what} split has {size // itemsize} tokens; it needs more than the context length ({context_length})")
    tokens = np.memmap(path, dtype=dtype, mode="r")
    # A sampled bound check: a full scan of a multi-GB file would cost seconds at every start.
    sample = tokens[:: max(1, len(tokens) // 1_000_000)]
    if int(sample.max()) >= vocab_size:
        raise UserError(f"{what} token file has ids beyond the vocabulary ({vocab_size})")
    return tokens


def _windows(tokens: np.ndarray, starts: np.ndarray, context_length: int) -> tuple[torch.Tensor, torch.Tensor]:
    block = np.stack([tokens[start : start + context_length + 1] for start in starts]).astype(np.int64)
    block = torch.from_numpy(block)
    # Targets are the inputs shifted by one position: each position predicts the next token.
    return block[:, :-1], block[:, 1:]


class BatchLoader:
    """Random windows of `context_length + 1` tokens, prepared on a thread while the model trains."""

    def __init__(self, tokens: np.ndarray, batch_size: int, context_length: int, seed: int, device: torch.device,
                 prefetch: int = 4) -> None:
        self.tokens = tokens
        self.batch_size = batch_size
        self.context_length = context_length
        self.rng = np.random.default_rng(seed)
        self.device = device
        self.pin = device.type == "cuda"
        self.queue: queue.Queue = queue.Queue(maxsize=prefetch)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._fill, daemon=True)
        self.thread.start()

    def _fill(self) -> None:
        high = len(self.tokens) - self.context_length - 1
        while not self.stopped.is_set():
            starts = self.rng.integers(0, high + 1, size=self.batch_size)
            x, y = _windows(self.tokens, starts, self.context_length)
            if self.pin:
                x, y = x.pin_memory(), y.pin_memory()
            while not self.stopped.is_set():
                try:
                    self.queue.put((x, y), timeout=0.1)
                    break
                except queue.Full:
                    continue

    def next(self) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.queue.get()
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)


def eval_windows(tokens: np.ndarray, batches: int, batch_size: int, context_length: int):
    """Fixed, evenly spaced validation windows: every evaluation of a run measures the same tokens."""
    high = len(tokens) - context_length - 1
    count = min(batches * batch_size, max(1, high // max(1, context_length // 2)))
    starts = np.linspace(0, high, num=count, dtype=np.int64)
    for index in range(0, count, batch_size):
        yield _windows(tokens, starts[index : index + batch_size], context_length)
