"""Reader for the original MNIST IDX files, plain or gzip-compressed (told apart by their first bytes)."""
import gzip
import struct

import numpy as np

_DTYPES = {0x08: np.uint8}
_GZIP_MAGIC = b"\x1f\x8b"
# MNIST's training images are 47 MB; a gzip that inflates past this is refused before it fills memory.
MAX_IDX_BYTES = 1 << 30


def _read_bounded(path: str) -> bytes:
    with open(path, "rb") as raw:
        compressed = raw.read(2) == _GZIP_MAGIC
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        data = handle.read(MAX_IDX_BYTES + 1)
    if len(data) > MAX_IDX_BYTES:
        raise ValueError(f"{path}: more than {MAX_IDX_BYTES} bytes (uncompressed); not a digits dataset")
    return data


def read_idx(path: str) -> np.ndarray:
    try:
        data = _read_bounded(path)
    except (gzip.BadGzipFile, EOFError) as error:
        raise ValueError(f"{path}: a damaged gzip file ({error})") from error
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    dtype = _DTYPES.get(data[2])
    if dtype is None:
        raise ValueError(f"{path}: unsupported IDX element type 0x{data[2]:02x}")
    ndim = data[3]
    if len(data) < 4 + 4 * ndim:
        raise ValueError(f"{path}: the IDX header is cut short")
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
    if images.shape[1:] != (28, 28):
        raise ValueError(f"{images_path}: images are {images.shape[1]}x{images.shape[2]}; the digits networks take 28x28")
    if labels.size and int(labels.max()) > 9:
        raise ValueError(f"{labels_path}: labels must be digits 0-9, found {int(labels.max())}")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images, labels
