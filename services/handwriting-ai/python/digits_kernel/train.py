"""The `train` command: train, evaluate, calibrate, export."""
import json
import os
import platform
import signal
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import idx
from .augment import augment
from .calibration import expected_calibration_error, fit_temperature
from .model import MEAN, STD, build_model, count_parameters
from .protocol import emit, log
from .request import TrainRequest

ONNX_OPSET = 17


class Cancelled(Exception):
    pass


class CancelFlag:
    """SIGTERM only sets a flag; the loop stops at the next batch and saves a checkpoint."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, _signum, _frame) -> None:
        self.requested = True

    def check(self) -> None:
        if self.requested:
            raise Cancelled()


def pick_device(requested: str) -> torch.device:
    if requested == "cuda" and not torch.cuda.is_available():
        raise ValueError("device cuda requested but torch.cuda.is_available() is false")
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)


def seed_everything(seed: int) -> torch.Generator:
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    if torch.backends.cudnn.is_available():
        torch.backends.cudnn.benchmark = False
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, 28, 28] -> float [N, 1, 28, 28] in [0, 1] (not yet normalised)."""
    return torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)


def normalise(images: torch.Tensor) -> torch.Tensor:
    return (images - MEAN) / STD


def autocast(device: torch.device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


@torch.no_grad()
def predict_logits(model, images: torch.Tensor, device: torch.device, batch_size: int = 1000) -> torch.Tensor:
    model.eval()
    chunks = []
    for start in range(0, images.shape[0], batch_size):
        batch = normalise(images[start : start + batch_size].to(device))
        with autocast(device):
            chunks.append(model(batch).float().cpu())
    return torch.cat(chunks)


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return float((logits.argmax(1) == labels).float().mean())


def save_checkpoint(path: str, model, optimizer, scheduler, epoch: int, request: TrainRequest) -> None:
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
             "epoch": epoch, "request": request.__dict__}
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def export_onnx(model, path: str) -> None:
    model.eval().cpu()
    example = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, example, path, opset_version=ONNX_OPSET, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)


def write_json(path: str, value: object) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=2)
        handle.write("\n")


def load_data(request: TrainRequest):
    images, labels = idx.read_split(request.train_images, request.train_labels, request.limit_train)
    validation_size = min(request.validation_size, max(1, images.shape[0] // 10))
    train = (to_tensor(images[:-validation_size]), torch.from_numpy(labels[:-validation_size].astype(np.int64)))
    validation = (to_tensor(images[-validation_size:]), torch.from_numpy(labels[-validation_size:].astype(np.int64)))
    test = None
    if request.test_images and request.test_labels:
        test_images, test_labels = idx.read_split(request.test_images, request.test_labels, request.limit_test)
        test = (to_tensor(test_images), torch.from_numpy(test_labels.astype(np.int64)))
    return train, validation, test


def train(request: TrainRequest) -> dict:
    cancel = CancelFlag()
    torch.set_num_threads(request.threads)
    generator = seed_everything(request.seed)
    device = pick_device(request.device)
    os.makedirs(request.output_dir, exist_ok=True)
    checkpoint_path = os.path.join(request.output_dir, "checkpoint.pt")

    (train_x, train_y), (val_x, val_y), test = load_data(request)
    model = build_model(request.architecture).to(device)
    if device.type == "cuda":
        model = model.to(memory_format=torch.channels_last)
    steps_per_epoch = (train_x.shape[0] + request.batch_size - 1) // request.batch_size
    total_steps = steps_per_epoch * request.epochs
    if request.max_steps is not None:
        total_steps = min(total_steps, request.max_steps)
    optimizer = torch.optim.AdamW(model.parameters(), lr=request.lr, weight_decay=request.weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=request.lr, total_steps=total_steps,
                                                    pct_start=0.25)
    log("training started", device=str(device), parameters=count_parameters(model), train_size=train_x.shape[0],
        validation_size=val_x.shape[0], steps=total_steps, torch=torch.__version__, threads=torch.get_num_threads())

    step = 0
    epoch = 0
    history = []
    try:
        while step < total_steps:
            epoch += 1
            model.train()
            order = torch.randperm(train_x.shape[0], generator=generator)
            seen = correct = 0
            loss_sum = 0.0
            started = time.perf_counter()
            for start in range(0, train_x.shape[0], request.batch_size):
                if step >= total_steps:
                    break
                cancel.check()
                picked = order[start : start + request.batch_size]
                batch = augment(train_x[picked], request.augment, generator).to(device)
                target = train_y[picked].to(device)
                with autocast(device):
                    logits = model(normalise(batch))
                    loss = F.cross_entropy(logits.float(), target)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                scheduler.step()
                step += 1
                seen += target.shape[0]
                correct += int((logits.argmax(1) == target).sum())
                loss_sum += float(loss) * target.shape[0]
                if step % 50 == 0:
                    emit("progress", epoch=epoch, step=step, steps=total_steps)
            elapsed = time.perf_counter() - started
            val_logits = predict_logits(model, val_x, device)
            metrics = {
                "epoch": epoch, "epochs": request.epochs, "step": step, "steps": total_steps,
                "loss": loss_sum / max(seen, 1), "accuracy": correct / max(seen, 1),
                "val_loss": float(F.cross_entropy(val_logits, val_y)), "val_accuracy": accuracy(val_logits, val_y),
                "images_per_s": seen / elapsed if elapsed > 0 else 0.0, "lr": scheduler.get_last_lr()[0],
            }
            history.append(metrics)
            emit("metrics", **metrics)
            save_checkpoint(checkpoint_path, model, optimizer, scheduler, epoch, request)
    except Cancelled:
        save_checkpoint(checkpoint_path, model, optimizer, scheduler, epoch, request)
        emit("artifact", name="checkpoint.pt", path=checkpoint_path)
        return {"status": "cancelled", "epoch": epoch, "step": step, "checkpoint": checkpoint_path}

    model = model.float().to(memory_format=torch.contiguous_format)
    val_logits = predict_logits(model, val_x, device)
    temperature = fit_temperature(val_logits, val_y)
    calibration = {
        "temperature": temperature, "bins": 15,
        "ece_before": expected_calibration_error(val_logits, val_y),
        "ece_after": expected_calibration_error(val_logits / temperature, val_y),
    }
    metrics = {"val_accuracy": accuracy(val_logits, val_y), "images_per_s": history[-1]["images_per_s"],
               "epochs": epoch, "steps": step, "parameters": count_parameters(model), **calibration}
    if test is not None:
        test_logits = predict_logits(model, test[0], device)
        metrics["test_accuracy"] = accuracy(test_logits, test[1])
        metrics["test_ece_before"] = expected_calibration_error(test_logits, test[1])
        metrics["test_ece_after"] = expected_calibration_error(test_logits / temperature, test[1])
    emit("log", level="info", message="calibrated", **calibration)

    model = model.cpu().eval()
    files = write_outputs(model, request, metrics, val_x)
    return {"status": "completed", "metrics": metrics, "files": files, "history": history}


def write_outputs(model, request: TrainRequest, metrics: dict, samples: torch.Tensor) -> list[str]:
    out = request.output_dir
    torch.save(model.state_dict(), os.path.join(out, "model.pt"))
    export_onnx(model, os.path.join(out, "model.onnx"))
    parity_inputs = normalise(samples[: request.parity_samples])
    with torch.no_grad():
        parity_logits = model(parity_inputs)
    write_json(os.path.join(out, "parity.json"), {
        "shape": list(parity_inputs.shape), "input": parity_inputs.flatten().tolist(),
        "logits": parity_logits.flatten().tolist(),
    })
    config = {
        "architecture": request.architecture, "input": {"name": "input", "shape": [None, 1, 28, 28]},
        "output": {"name": "logits", "classes": list(range(10))},
        "normalisation": {"mean": MEAN, "std": STD, "ink": "high"},
        "temperature": metrics["temperature"], "onnx_opset": ONNX_OPSET,
        "hyperparameters": {k: v for k, v in request.__dict__.items() if not k.endswith(("_images", "_labels", "_dir"))},
        "framework": {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "metrics": metrics,
    }
    write_json(os.path.join(out, "config.json"), config)
    checkpoint = os.path.join(out, "checkpoint.pt")
    if os.path.exists(checkpoint):
        os.remove(checkpoint)
    files = ["model.onnx", "model.pt", "config.json", "parity.json"]
    for name in files:
        emit("artifact", name=name, path=os.path.join(out, name), bytes=os.path.getsize(os.path.join(out, name)))
    return files
