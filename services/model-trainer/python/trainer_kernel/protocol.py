"""JSON-lines events on stdout; everything else goes to stderr."""
import json
import math
import sys


def _clean(value):
    # NaN/inf are not JSON: a diverged loss is reported as null rather than breaking the stream.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    return value


def emit(event: str, **fields) -> None:
    sys.stdout.write(json.dumps(_clean({"event": event, **fields}), separators=(",", ":")) + "\n")
    sys.stdout.flush()


def log(message: str, level: str = "info", **fields) -> None:
    emit("log", level=level, message=message, **fields)


class UserError(ValueError):
    """A problem with the request or its data (reported with kind "user", never retried)."""
