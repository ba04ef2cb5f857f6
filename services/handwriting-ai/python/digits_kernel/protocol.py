"""JSON-lines events on stdout; everything else goes to stderr."""
import json
import sys


def emit(event: str, **fields) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def log(message: str, level: str = "info", **fields) -> None:
    emit("log", level=level, message=message, **fields)
