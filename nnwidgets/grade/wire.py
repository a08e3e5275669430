"""The only language between the grader and the sandboxed child: JSON lines of plain data.

Arrays travel as base64 ``.npy`` bytes read with ``allow_pickle=False`` and only numeric or boolean dtypes;
numbers, strings, None, lists, tuples and string-keyed dicts as themselves. Nothing is ever unpickled, and a
message larger than ``MAX_BYTES`` is refused, so a child that writes garbage on the pipe can only fail its own
checks.
"""
from __future__ import annotations

import base64
import io
import json
import math
import numbers
import os

import numpy as np

MAX_BYTES = 64 * 2**20
MAX_DEPTH = 8
_NUMERIC_KINDS = "biuf"


class WireError(ValueError):
    """A message that is not plain data in the agreed form."""


def encode(value, depth: int = 0):
    """``value`` as JSON-ready plain data; objects that are not numbers or arrays become ``{"object": type name}``."""
    if depth > MAX_DEPTH:
        return {"object": "nested too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return {"int": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return {"float": repr(float(value))}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):  # e.g. CS231n's optimizer config
        return {"dict": [[k, encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.ndarray) or hasattr(value, "__array__"):
        try:
            array = np.asarray(value)
        except Exception:  # noqa: BLE001 - an object whose __array__ fails is not an answer
            return {"object": type(value).__name__}
        if array.dtype.kind not in _NUMERIC_KINDS:
            try:
                array = array.astype(np.float64)
            except (TypeError, ValueError):
                return {"object": f"array of {array.dtype}"}
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
        return {"npy": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, numbers.Real):
        return {"float": repr(float(value))}
    return {"object": type(value).__name__}


def decode(data, depth: int = 0):
    """The inverse of ``encode`` for data from an untrusted sender: plain Python and NumPy values only."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deep")
    if data is None or isinstance(data, (bool, str)):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise WireError(f"not an encoded value: {str(data)[:80]}")
    (tag, payload), = data.items()
    if tag == "int" and isinstance(payload, str) and len(payload) < 400:
        return int(payload)
    if tag == "float" and isinstance(payload, str) and len(payload) < 40:
        return float(payload) if payload in ("nan", "inf", "-inf") or _is_number(payload) else _bad(payload)
    if tag in ("list", "tuple") and isinstance(payload, list):
        items = [decode(v, depth + 1) for v in payload]
        return items if tag == "list" else tuple(items)
    if tag == "dict" and isinstance(payload, list):
        if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in payload):
            raise WireError("a dict is a list of [key, value] pairs")
        return {k: decode(v, depth + 1) for k, v in payload}
    if tag == "npy" and isinstance(payload, str):
        array = np.load(io.BytesIO(base64.b64decode(payload, validate=True)), allow_pickle=False)
        if type(array) is not np.ndarray or array.dtype.kind not in _NUMERIC_KINDS:
            raise WireError("an array must be numbers")
        return array
    if tag == "object" and isinstance(payload, str):
        return Opaque(payload[:100])
    raise WireError(f"unknown tag {tag!r}")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _bad(payload):
    raise WireError(f"not a float: {payload!r}")


class Opaque:
    """Stands for a value the child could not send as numbers (a function, a custom object ...)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name} object>"


def send(fd: int, message: dict) -> None:
    data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
    while data:
        data = data[os.write(fd, data):]


class Reader:
    """Reads newline-terminated JSON messages from a file descriptor, never more than ``MAX_BYTES`` each."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""

    def pending(self) -> bool:
        return b"\n" in self.buffer

    def feed(self) -> bool:
        """Reads what is there; False at end of file."""
        chunk = os.read(self.fd, 1 << 20)
        self.buffer += chunk
        if len(self.buffer) > MAX_BYTES and b"\n" not in self.buffer:
            raise WireError(f"message over {MAX_BYTES} bytes")
        return bool(chunk)

    def message(self) -> dict:
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except (ValueError, UnicodeDecodeError, RecursionError) as err:
            raise WireError(f"not JSON: {type(err).__name__}") from None
        if not isinstance(message, dict):
            raise WireError("a message must be a JSON object")
        return message
