"""Digits compute kernel: trains, calibrates and exports an MNIST classifier (DESIGN.md section 7)."""
