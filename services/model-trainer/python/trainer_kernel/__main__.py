"""`python3 -m trainer_kernel train|export < request.json` (see protocol.py for the events on stdout)."""
import json
import sys
import traceback

from .protocol import emit


def _train(raw):
    from .request import parse_train_request
    from .train import train

    return train(parse_train_request(raw))


def _export(raw):
    from .request import parse_export_request
    from .export import export_checkpoint

    return export_checkpoint(parse_export_request(raw))


COMMANDS = {"train": _train, "export": _export}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        emit("error", kind="user", code="usage", message=f"usage: python3 -m trainer_kernel {{{'|'.join(COMMANDS)}}} < request.json")
        return 2
    try:
        raw = json.load(sys.stdin)
        result = COMMANDS[argv[0]](raw)
    except (ValueError, TypeError, json.JSONDecodeError) as error:
        emit("error", kind="user", code="invalid_request", message=str(error))
        return 1
    except Exception as error:  # noqa: BLE001 - any other failure still ends with a typed event
        traceback.print_exc(file=sys.stderr)
        emit("error", kind="system", code="kernel_failed", message=f"{type(error).__name__}: {error}")
        return 1
    emit("result", **result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
