"""`python3 -m digits_kernel train < request.json` (see protocol.py for the events on stdout)."""
import json
import sys
import traceback

from .protocol import emit
from .request import parse_request
from .train import train

COMMANDS = {"train": lambda raw: train(parse_request(raw))}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        emit("error", code="usage", message=f"usage: python3 -m digits_kernel {{{'|'.join(COMMANDS)}}} < request.json")
        return 2
    try:
        raw = json.load(sys.stdin)
        result = COMMANDS[argv[0]](raw)
    except (ValueError, TypeError, OSError, json.JSONDecodeError) as error:
        emit("error", code="invalid_request", kind="user", message=str(error))
        return 1
    except Exception as error:  # noqa: BLE001 - any other failure still ends with a typed event
        traceback.print_exc(file=sys.stderr)
        emit("error", code="kernel_failed", message=f"{type(error).__name__}: {error}")
        return 1
    emit("result", **result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
