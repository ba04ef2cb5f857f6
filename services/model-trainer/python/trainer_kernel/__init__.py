"""The model-trainer compute kernel: GPT-2 and char-LSTM training in plain PyTorch, ONNX export."""
