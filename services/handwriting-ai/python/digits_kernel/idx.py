"""Reader for the original MNIST IDX files (optionally gzip-compressed)."""
import gzip
import struct

import numpy as np

_DTYPES = {0x08: np.uint8}


def read_idx(path: str) -> np.ndarray:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    dtype = _DTYPES.get(data[2])
    if dtype is None:
        raise ValueError(f"{path}: unsupported IDX element type 0x{data[2]:02x}")
    ndim = data[3]
    shape = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    body = np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values, found {body.size}")
    return body.reshape(shape)


def read_split(images_path: str, labels_path: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images_path}/{labels_path}: shapes {images.shape} and {labels.shape} do not pair")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images, labels
