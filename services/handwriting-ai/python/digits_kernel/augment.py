"""Batched augmentation on tensors in [0, 1] (ink = 1): affine, elastic, ink thickness, erasing, inversion.

`strength` in [0, 1] scales every transformation; 0 turns augmentation off."""
import math

import torch
import torch.nn.functional as F


def _affine_grid(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    n = images.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=generator, device="cpu").to(images.device) * (high - low) + low

    angle = uniform(-15, 15) * strength * math.pi / 180
    scale = 1 + uniform(-0.15, 0.15) * strength
    shear = uniform(-0.2, 0.2) * strength
    shift = 0.15 * strength  # of the half-width: ~2 px
    tx, ty = uniform(-shift, shift), uniform(-shift, shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos, -sin + shear, tx], 1), torch.stack([sin, cos, ty], 1)], 1
    )
    return F.affine_grid(theta, list(images.shape), align_corners=False)


def _elastic_field(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    """A smooth random displacement: 4x4 noise upsampled bicubically, in grid units (~0.4 px at strength 1)."""
    coarse = torch.randn(images.shape[0], 2, 4, 4, generator=generator).to(images.device) * 0.03 * strength
    field = F.interpolate(coarse, size=images.shape[-2:], mode="bicubic", align_corners=False)
    return field.permute(0, 2, 3, 1)


def _thickness(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    choice = torch.rand(images.shape[0], generator=generator).to(images.device)
    thicker = F.max_pool2d(images, 3, 1, 1)
    thinner = -F.max_pool2d(-images, 3, 1, 1)
    p = 0.15 * strength
    mask_thick = (choice < p).view(-1, 1, 1, 1)
    mask_thin = ((choice >= p) & (choice < 2 * p)).view(-1, 1, 1, 1)
    return torch.where(mask_thick, thicker, torch.where(mask_thin, thinner, images))


def _erase(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    n, _, h, w = images.shape
    apply = torch.rand(n, generator=generator) < 0.25 * strength
    size = torch.randint(4, 9, (n, 2), generator=generator)
    corner = torch.randint(0, h - 4, (n, 2), generator=generator)
    ys = torch.arange(h).view(1, h, 1)
    xs = torch.arange(w).view(1, 1, w)
    inside = (
        (ys >= corner[:, 0].view(-1, 1, 1)) & (ys < (corner[:, 0] + size[:, 0]).view(-1, 1, 1))
        & (xs >= corner[:, 1].view(-1, 1, 1)) & (xs < (corner[:, 1] + size[:, 1]).view(-1, 1, 1))
        & apply.view(-1, 1, 1)
    )
    return images.masked_fill(inside.unsqueeze(1).to(images.device), 0.0)


def _invert(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    flip = (torch.rand(images.shape[0], generator=generator) < 0.02 * strength).view(-1, 1, 1, 1).to(images.device)
    return torch.where(flip, 1 - images, images)


def augment(images: torch.Tensor, strength: float, generator: torch.Generator) -> torch.Tensor:
    if strength <= 0:
        return images
    grid = _affine_grid(images, strength, generator) + _elastic_field(images, strength, generator)
    images = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    images = _thickness(images, strength, generator)
    images = _erase(images, strength, generator)
    return _invert(images, strength, generator)
