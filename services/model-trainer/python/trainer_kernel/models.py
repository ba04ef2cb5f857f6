"""GPT-2 (pre-LN, tied embeddings, causal attention) and a character-level LSTM, in plain PyTorch."""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

# GPT-2's published shapes (Radford et al. 2019: small 124M .. xl 1.5B); tiny and mini are the
# BERT-Tiny/Mini shapes (Turc et al. 2019) for quick runs. (layers, heads, width)
GPT2_SIZES = {
    "tiny": (2, 2, 128),
    "mini": (4, 4, 256),
    "small": (12, 12, 768),
    "medium": (24, 16, 1024),
    "large": (36, 20, 1280),
    "xl": (48, 25, 1600),
}
# (layers, hidden, embedding)
CHAR_LSTM_SIZES = {"small": (2, 256, 128), "medium": (2, 512, 256), "large": (3, 1024, 256)}
HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


@dataclass(frozen=True)
class ModelConfig:
    family: str
    size: str
    vocab_size: int
    context_length: int
    n_layer: int
    n_head: int
    n_embd: int
    hidden: int
    dropout: float

    def to_dict(self) -> dict:
        return asdict(self)


def model_config(family: str, size: str, vocab_size: int, context_length: int, dropout: float,
                 overrides: dict | None = None) -> ModelConfig:
    overrides = overrides or {}
    if family == "gpt2":
        n_layer, n_head, n_embd = GPT2_SIZES[size]
        n_layer = overrides.get("n_layer", n_layer)
        n_head = overrides.get("n_head", n_head)
        n_embd = overrides.get("n_embd", n_embd)
        if n_embd % n_head:
            raise ValueError("n_embd must be a multiple of n_head")
        return ModelConfig(family, size, vocab_size, context_length, n_layer, n_head, n_embd, 4 * n_embd, dropout)
    n_layer, hidden, n_embd = CHAR_LSTM_SIZES[size]
    n_layer = overrides.get("n_layer", n_layer)
    hidden = overrides.get("hidden", hidden)
    n_embd = overrides.get("n_embd", n_embd)
    return ModelConfig(family, size, vocab_size, context_length, n_layer, 0, n_embd, hidden, dropout)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.qkv = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.proj = nn.Linear(config.n_embd, config.n_embd)
        self.dropout = config.dropout
        self.resid_drop = nn.Dropout(config.dropout)
        # Off for ONNX export: the masked matmul exports at opset 17 on every torch version.
        self.use_sdpa = HAS_SDPA
        mask = torch.tril(torch.ones(config.context_length, config.context_length, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, config.context_length, config.context_length), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if self.use_sdpa:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.shape[-1]))
            att = att.masked_fill(~self.mask[:, :, :T, :T], float("-inf"))
            att = F.dropout(F.softmax(att, dim=-1), self.dropout, self.training)
            y = att @ v
        return self.resid_drop(self.proj(y.transpose(1, 2).reshape(B, T, C)))


class Block(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln2 = nn.LayerNorm(config.n_embd)
        self.fc = nn.Linear(config.n_embd, config.hidden)
        self.out = nn.Linear(config.hidden, config.n_embd)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.drop(self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh")))


class GPT(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.context_length, config.n_embd)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln = nn.LayerNorm(config.n_embd)
        self.head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.head.weight = self.wte.weight
        self.apply(self._init)
        # GPT-2's scaled init of the residual projections.
        for name, parameter in self.named_parameters():
            if name.endswith(("attn.proj.weight", "out.weight")):
                nn.init.normal_(parameter, 0.0, 0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, 0.0, 0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, 0.0, 0.02)

    def set_sdpa(self, enabled: bool) -> None:
        for block in self.blocks:
            block.attn.use_sdpa = enabled and HAS_SDPA

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.drop(self.wte(input_ids) + self.wpe(positions))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln(x))


class CharLSTM(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.n_embd)
        self.lstm = nn.LSTM(config.n_embd, config.hidden, config.n_layer, batch_first=True,
                            dropout=config.dropout if config.n_layer > 1 else 0.0)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden, config.vocab_size)

    def initial_state(self, batch: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        shape = (self.config.n_layer, batch, self.config.hidden)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)

    def forward(self, input_ids: torch.Tensor, h0: torch.Tensor | None = None, c0: torch.Tensor | None = None):
        if h0 is None or c0 is None:
            h0, c0 = self.initial_state(input_ids.shape[0], input_ids.device)
        output, (hn, cn) = self.lstm(self.embed(input_ids), (h0, c0))
        return self.head(self.drop(output)), hn, cn


def build_model(config: ModelConfig) -> nn.Module:
    return GPT(config) if config.family == "gpt2" else CharLSTM(config)


def logits_of(model: nn.Module, input_ids: torch.Tensor) -> torch.Tensor:
    output = model(input_ids)
    return output[0] if isinstance(output, tuple) else output


def count_parameters(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())


def flops_per_token(config: ModelConfig, parameters: int) -> float:
    """Training FLOPs per token (6N plus attention, PaLM appendix B), for MFU."""
    if config.family != "gpt2":
        return 6.0 * parameters
    non_embedding = parameters - config.context_length * config.n_embd
    return 6.0 * non_embedding + 12.0 * config.n_layer * config.n_embd * config.context_length
