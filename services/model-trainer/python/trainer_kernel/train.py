"""The `train` command: data, model, loop with evaluation and checkpoints, export."""
import math
import os
import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from . import checkpoint, runtime
from .data import BatchLoader, eval_windows, open_tokens
from .export import write_outputs
from .models import build_model, count_parameters, flops_per_token, logits_of, model_config
from .protocol import UserError, emit, log
from .request import TrainRequest

DEFAULT_DROPOUT = {"gpt2": 0.0, "char_lstm": 0.1}


@dataclass
class RunState:
    step: int = 0
    tokens: int = 0
    elapsed_s: float = 0.0
    best_val_loss: float = math.inf
    best_step: int | None = None
    evals_since_best: int = 0
    history: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Budget:
    total_steps: int | None
    time_budget_s: float | None

    def progress(self, state: RunState) -> float:
        fractions = []
        if self.total_steps:
            fractions.append(state.step / self.total_steps)
        if self.time_budget_s:
            fractions.append(state.elapsed_s / self.time_budget_s)
        return min(1.0, max(fractions)) if fractions else 0.0

    def done(self, state: RunState) -> bool:
        return self.progress(state) >= 1.0


def make_budget(request: TrainRequest, train_len: int, tokens_per_step: int) -> Budget:
    steps = []
    epochs = request.epochs
    if epochs is None and request.max_tokens is None and request.time_budget_s is None and request.max_steps is None:
        epochs = 1
    if epochs is not None:
        steps.append(math.ceil(epochs * train_len / tokens_per_step))
    if request.max_tokens is not None:
        steps.append(math.ceil(request.max_tokens / tokens_per_step))
    if request.max_steps is not None:
        steps.append(request.max_steps)
    return Budget(max(1, min(steps)) if steps else None, request.time_budget_s)


@torch.no_grad()
def evaluate(model, tokens: np.ndarray, request: TrainRequest, device, precision: str, vocab: int) -> float:
    model.eval()
    total = 0.0
    count = 0
    for x, y in eval_windows(tokens, request.eval_batches, request.batch_size, request.context_length):
        x, y = x.to(device), y.to(device)
        with runtime.autocast(device, precision):
            logits = logits_of(model, x)
        total += float(F.cross_entropy(logits.float().view(-1, vocab), y.reshape(-1), reduction="sum"))
        count += y.numel()
    model.train()
    return total / max(count, 1)


class Trainer:
    def __init__(self, request: TrainRequest) -> None:
        self.request = request
        self.cancel = checkpoint.CancelFlag()
        torch.set_num_threads(request.threads)
        self.device = runtime.pick_device(request.device)
        self.precision = runtime.pick_precision(request.precision, self.device)
        if self.device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        args = (request.token_dtype, request.vocab_size, request.context_length)
        self.train_tokens = open_tokens(request.train_tokens, *args, "train")
        self.val_tokens = open_tokens(request.val_tokens, *args, "validation")
        self.state = RunState()
        resumed = checkpoint.load(request.resume_from) if request.resume_from else None
        dropout = request.dropout if request.dropout is not None else DEFAULT_DROPOUT[request.family]
        self.config = model_config(request.family, request.size, request.vocab_size, request.context_length,
                                   dropout, request.model)
        torch.manual_seed(request.seed)
        self.model = build_model(self.config).to(self.device)
        self.optimizer = runtime.make_optimizer(self.model, request.lr, request.weight_decay,
                                                (request.beta1, request.beta2), self.device)
        self.scaler = runtime.grad_scaler(self.precision)
        if resumed is not None:
            self._resume(resumed)
        # Another seed after a resume: the continued run draws new batches rather than repeating the first ones.
        torch.manual_seed(request.seed + self.state.step)
        self.forward, self.compiled = runtime.maybe_compile(self.model, request.compile, self.device)
        self.tokens_per_step = request.batch_size * request.context_length * request.grad_accum
        self.budget = make_budget(request, len(self.train_tokens), self.tokens_per_step)
        self.parameters = count_parameters(self.model)
        self.flops_per_token = flops_per_token(self.config, self.parameters)
        self.peak_flops = runtime.peak_flops(self.device, self.precision)
        os.makedirs(request.output_dir, exist_ok=True)

    def _resume(self, payload: dict) -> None:
        saved = payload["config"]
        for key in ("family", "vocab_size", "context_length", "n_layer", "n_head", "n_embd", "hidden"):
            if saved.get(key) != getattr(self.config, key):
                raise UserError(f"resume_from has {key} {saved.get(key)}, this run {getattr(self.config, key)}")
        if "optimizer" not in payload:
            raise UserError("resume_from must be a last.pt checkpoint (best.pt holds weights only)")
        self.model.load_state_dict(payload["model"])
        self.optimizer.load_state_dict(payload["optimizer"])
        self.scaler.load_state_dict(payload["scaler"])
        self.state = RunState(**payload["state"])
        log("resumed", step=self.state.step, tokens=self.state.tokens, best_val_loss=self.state.best_val_loss)

    def path(self, name: str) -> str:
        return os.path.join(self.request.output_dir, name)

    def save_last(self) -> str:
        checkpoint.save(self.path(checkpoint.LAST), {
            "config": self.config.to_dict(), "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
            "scaler": self.scaler.state_dict(), "state": self.state.to_dict(), "request": self.request.__dict__,
        })
        return self.path(checkpoint.LAST)

    def emit_config(self) -> None:
        emit("metrics", kind="config", family=self.config.family, size=self.config.size, model=self.config.to_dict(),
             parameters=self.parameters, device=str(self.device), precision=self.precision, compiled=self.compiled,
             fused_adamw=bool(self.optimizer.defaults.get("fused")), threads=torch.get_num_threads(),
             torch=torch.__version__, train_tokens=len(self.train_tokens), val_tokens=len(self.val_tokens),
             tokens_per_step=self.tokens_per_step, total_steps=self.budget.total_steps,
             time_budget_s=self.budget.time_budget_s, resumed_at_step=self.state.step or None)

    def step(self) -> torch.Tensor:
        request = self.request
        progress = self.budget.progress(self.state)
        lr = runtime.lr_at(self.state.step, progress, request.lr, request.warmup_steps, request.min_lr_ratio)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        loss_sum = torch.zeros((), device=self.device)
        for _ in range(request.grad_accum):
            x, y = self.loader.next()
            with runtime.autocast(self.device, self.precision):
                logits = logits_of(self.forward, x)
                loss = F.cross_entropy(logits.float().view(-1, self.config.vocab_size), y.reshape(-1))
            self.scaler.scale(loss / request.grad_accum).backward()
            loss_sum += loss.detach()
        if request.grad_clip > 0:
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), request.grad_clip)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)
        self.state.step += 1
        self.state.tokens += self.tokens_per_step
        return loss_sum / request.grad_accum

    def run_eval(self) -> bool:
        """Evaluates, keeps the best weights apart, saves last.pt; True when early stopping says stop."""
        val_loss = evaluate(self.model, self.val_tokens, self.request, self.device, self.precision, self.config.vocab_size)
        improved = val_loss < self.state.best_val_loss
        if improved:
            self.state.best_val_loss, self.state.best_step, self.state.evals_since_best = val_loss, self.state.step, 0
            checkpoint.save(self.path(checkpoint.BEST), {"config": self.config.to_dict(), "model": self.model.state_dict(),
                                                         "state": {"step": self.state.step, "val_loss": val_loss}})
        else:
            self.state.evals_since_best += 1
        point = {"step": self.state.step, "tokens": self.state.tokens, "elapsed_s": round(self.state.elapsed_s, 3),
                 "val_loss": val_loss, "best_val_loss": self.state.best_val_loss}
        self.state.history.append(point)
        emit("metrics", kind="eval", improved=improved, **point)
        self.save_last()
        patience = self.request.early_stopping_patience
        return patience is not None and self.state.evals_since_best >= patience

    def loop(self) -> str:
        request = self.request
        started = time.perf_counter()
        base_elapsed = self.state.elapsed_s
        last_eval = last_event = started
        window_loss = torch.zeros((), device=self.device)
        window_steps = window_tokens = 0
        self.model.train()
        while not self.budget.done(self.state):
            if self.cancel.requested:
                return "cancelled"
            window_loss += self.step()
            window_steps += 1
            window_tokens += self.tokens_per_step
            now = time.perf_counter()
            self.state.elapsed_s = base_elapsed + now - started
            if now - last_event >= request.step_event_interval_s:
                self._step_event(float(window_loss) / window_steps, window_tokens / (now - last_event))
                window_loss.zero_()
                window_steps = window_tokens = 0
                last_event = time.perf_counter()
            if now - last_eval >= request.eval_interval_s and not self.budget.done(self.state):
                if self.run_eval():
                    return "early_stopped"
                last_eval = time.perf_counter()
        if window_steps:
            self._step_event(float(window_loss) / window_steps, window_tokens / max(time.perf_counter() - last_event, 1e-9))
        self.run_eval()
        return "completed"

    def _step_event(self, train_loss: float, tokens_per_s: float) -> None:
        progress = self.budget.progress(self.state)
        fields = {"step": self.state.step, "tokens": self.state.tokens, "train_loss": train_loss,
                  "tokens_per_s": tokens_per_s, "lr": self.optimizer.param_groups[0]["lr"],
                  "elapsed_s": round(self.state.elapsed_s, 3)}
        if self.peak_flops:
            fields["mfu"] = tokens_per_s * self.flops_per_token / self.peak_flops
        if not math.isfinite(train_loss):
            raise UserError(f"training diverged at step {self.state.step} (loss {train_loss}); lower lr")
        emit("metrics", kind="step", **fields)
        emit("progress", fraction=progress, step=self.state.step, steps=self.budget.total_steps)

    def finish(self, outcome: str) -> dict:
        summary = {"steps": self.state.step, "tokens": self.state.tokens, "elapsed_s": round(self.state.elapsed_s, 3),
                   "best_val_loss": self.state.best_val_loss, "best_step": self.state.best_step, "parameters": self.parameters}
        if outcome == "cancelled":
            path = self.save_last()
            emit("artifact", name=checkpoint.LAST, path=path)
            return {"status": "cancelled", "checkpoint": path, "metrics": summary}
        best = checkpoint.load(self.path(checkpoint.BEST))
        self.model.load_state_dict(best["model"])
        files = []
        if self.request.export_onnx:
            files = write_outputs(self.model, self.config, self.request.output_dir, {
                "metrics": summary, "history": self.state.history, "outcome": outcome,
                "hyperparameters": {k: v for k, v in self.request.__dict__.items()
                                    if k not in ("train_tokens", "val_tokens", "output_dir", "resume_from")},
            })
        emit("metrics", kind="completed", outcome=outcome, **summary)
        return {"status": "completed", "outcome": outcome, "metrics": summary, "files": files,
                "checkpoint": self.path(checkpoint.LAST), "best_checkpoint": self.path(checkpoint.BEST)}


def train(request: TrainRequest) -> dict:
    trainer = Trainer(request)
    trainer.emit_config()
    trainer.loader = BatchLoader(trainer.train_tokens, request.batch_size, request.context_length,
                                 request.seed + trainer.state.step, trainer.device)
    try:
        outcome = trainer.loop()
    finally:
        trainer.loader.close()
    return trainer.finish(outcome)
