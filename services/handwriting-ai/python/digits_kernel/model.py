"""ResNet-style networks for 28x28 single-channel digits."""
import torch
from torch import nn

# Pixel statistics of the MNIST training set (ink = 1.0); the TypeScript preprocessing uses the same numbers.
MEAN = 0.1307
STD = 0.3081


class ResidualBlock(nn.Module):
    def __init__(self, channels_in: int, channels_out: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels_in, channels_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels_out)
        self.conv2 = nn.Conv2d(channels_out, channels_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels_out)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or channels_in != channels_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(channels_in, channels_out, 1, stride, bias=False), nn.BatchNorm2d(channels_out)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class DigitResNet(nn.Module):
    """stem at 28x28, max-pool to 14x14, residual stages at 14x14 and 7x7, global average pool."""

    def __init__(self, width: int = 32, blocks: tuple[int, int] = (1, 2), dropout: float = 0.1) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True), nn.MaxPool2d(2)
        )
        layers: list[nn.Module] = []
        channels = width
        for stage, count in enumerate(blocks):
            out_channels = width * (2**stage)
            for index in range(count):
                stride = 2 if stage > 0 and index == 0 else 1
                layers.append(ResidualBlock(channels, out_channels, stride))
                channels = out_channels
        self.stages = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout), nn.Linear(channels, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.stages(self.stem(x)))


ARCHITECTURES = {
    # the CPU recipe: ~150k parameters, ~10 MMAC per image, ONNX ~0.6 MB
    "resnet-small": dict(width=32, blocks=(1, 2)),
    # the full recipe for a GPU: ~1.2M parameters
    "resnet-wide": dict(width=64, blocks=(2, 2), dropout=0.2),
}


def build_model(architecture: str) -> DigitResNet:
    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; known: {', '.join(ARCHITECTURES)}")
    return DigitResNet(**ARCHITECTURES[architecture])


def count_parameters(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())
