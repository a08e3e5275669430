"""The sandboxed child: runs the notebook's code cells, then only answers calls (JSON lines, plain data).

Started by ``sandbox.Sandbox`` as ``python -I -m nnwidgets.grade.child READ_FD WRITE_FD CONFIG_JSON``. It limits
itself (``jail.enter``) before importing NumPy or reading any cell. Requests:

    {"op": "run", "code": ..., "trusted": bool}         exec a cell in the notebook namespace
    {"op": "guard", "modules", "allowed", "autodiff"}   refuse reference imports from now on (``guard``)
    {"op": "describe", "name": ...}                     what a name is: missing, class, function or a value
    {"op": "call", "name" or "obj"+"attr", "args", "kwargs"}   call it; the result and the array arguments after
    {"op": "new", "name", "args", "kwargs"}             instantiate a class; the object's number
    {"op": "getattr", "obj", "attr"}                    an attribute of such an object
"""
from __future__ import annotations

import builtins
import inspect
import json
import sys

from . import guard, jail


def signature(fn) -> list | None:
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, int(p.kind), p.default is not inspect.Parameter.empty] for p in parameters]


def describe(value, encode) -> dict:
    if isinstance(value, type):
        methods = {name: signature(getattr(value, name)) for name in dir(value)
                   if not name.startswith("__") and callable(getattr(value, name, None))}
        return {"kind": "class", "init": signature(value), "methods": methods}
    if callable(value):
        return {"kind": "function", "signature": signature(value)}
    return {"kind": "value", "value": encode(value)}


def error_text(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}"
    return text if len(text) < 500 else text[:500] + " ..."


class Child:
    def __init__(self, wire):
        self.wire = wire
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.objects = {}
        self.guard: guard.Guard | None = None

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "run":
            trusted = bool(request.get("trusted")) and self.guard is not None  # an instructor's cell
            if trusted:
                self.guard.trusted = True
            try:
                exec(compile(request["code"], f"<cell {request.get('cell', '')}>", "exec"), self.namespace)
            finally:
                if trusted:
                    self.guard.trusted = False
                    self.guard.sweep()
            return {"ok": True}
        if op == "guard":  # before the first student cell, when references are not allowed
            self.guard = guard.install(request["modules"], request["allowed"], bool(request["autodiff"]))
            return {"ok": True}
        if op == "describe":
            if request["name"] not in self.namespace:
                return {"ok": True, "kind": "missing"}
            return {"ok": True, **describe(self.namespace[request["name"]], self.wire.encode)}
        if op == "getattr":
            target = self.objects[request["obj"]]
            if not hasattr(target, request["attr"]):
                return {"ok": True, "kind": "missing"}
            return {"ok": True, **describe(getattr(target, request["attr"]), self.wire.encode)}
        args = [self.wire.decode(a) for a in request.get("args", [])]
        kwargs = {k: self.wire.decode(v) for k, v in request.get("kwargs", {}).items()}
        if op == "new":
            self.objects[len(self.objects)] = self.namespace[request["name"]](*args, **kwargs)
            return {"ok": True, "obj": len(self.objects) - 1}
        if op == "call":
            fn = getattr(self.objects[request["obj"]], request["attr"]) if "obj" in request else \
                self.namespace[request["name"]]
            result = fn(*args, **kwargs)
            after = [self.wire.encode(a) if isinstance(a, (list, dict)) or hasattr(a, "shape") else None
                     for a in args]
            return {"ok": True, "result": self.wire.encode(result), "args_after": after}
        return {"ok": False, "error": f"unknown request {op!r}"}


def main() -> None:
    read_fd, write_fd, config = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    applied = jail.enter(config)
    # NumPy only now: the limits above come first (a function-level import on purpose, for that order)
    from . import wire

    wire.send(write_fd, {"ok": True, "ready": applied})
    child, reader = Child(wire), wire.Reader(read_fd)
    while True:
        while not reader.pending():
            if not reader.feed():
                return
        try:
            reply = child.handle(reader.message())
        except BaseException as err:  # noqa: BLE001 - the student's exception is the answer to this request
            reply = {"ok": False, "error": error_text(err)}
        try:
            wire.send(write_fd, reply)
        except (TypeError, ValueError) as err:
            wire.send(write_fd, {"ok": False, "error": f"the answer could not be sent: {error_text(err)}"})


if __name__ == "__main__":
    main()
