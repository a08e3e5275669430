"""Stand-ins in the grader for the student's names: calls go to the sandboxed child, answers come back as data.

A function becomes a plain Python function with the student's signature that forwards each call; a class
becomes a class whose instances live in the child (methods and attributes are fetched by name); any other value
is sent over as plain numbers. The checks in ``nnwidgets.checks`` run unchanged against these stand-ins.
"""
from __future__ import annotations

import inspect
import re

import numpy as np

from nnwidgets.i18n import _

from . import wire
from .session import Session

#: inspect's parameter kinds by their number (as the child sends them)
KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_POSITIONAL,
         inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)


class StudentError(Exception):
    """The student's code raised: the subclass carries the student's exception name (see ``_raise``)."""


class Missing(Exception):
    """A name the check needs is not defined by the student's notebook."""


def _raise(session: Session, error: str):
    name, _, text = error.partition(": ")
    name = name if re.fullmatch(r"[A-Za-z_]\w{0,60}", name) else "Error"
    session.produced.append((name, text))  # text the student's code wrote: never shown in feedback
    raise type(name, (StudentError,), {})(text)


def _signature(described):
    if described is None:
        return None
    parameters = []
    for name, kind, has_default in described:
        if not (isinstance(name, str) and name.isidentifier() and kind in range(5)):
            return None
        parameters.append(inspect.Parameter(name, KINDS[kind],
                                            default=wire.Opaque("default") if has_default else inspect.Parameter.empty))
    try:
        return inspect.Signature(parameters)
    except ValueError:
        return None


def _call(session: Session, target: dict, args, kwargs):
    reply = session.request({"op": "call", **target, "args": [wire.encode(a) for a in args],
                             "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}})
    if not reply["ok"]:
        _raise(session, str(reply.get("error", "")))
    after = reply.get("args_after") or []
    for arg, changed in zip(args, after):  # the child's in-place changes, so a check can see (and report) them
        if changed is not None:
            _copy_back(arg, wire.decode(changed))
    result = wire.decode(reply.get("result"))
    session.produced += [("value", text) for text in _strings(result)]
    return result


def _strings(value) -> list[str]:
    """The strings in a value from the child (text it made, maybe out of a hidden case's numbers)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _strings(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (k, *_strings(v))]
    if isinstance(value, wire.Opaque):
        return [value.type_name]
    return []


def _copy_back(arg, value) -> None:
    """Makes ``arg`` (an array, or a list or dict holding arrays) what the child's copy became."""
    if isinstance(arg, np.ndarray):
        if isinstance(value, np.ndarray) and value.shape == arg.shape and arg.flags.writeable:
            np.copyto(arg, value, casting="unsafe")
    elif isinstance(arg, list) and isinstance(value, list) and len(arg) == len(value):
        for i, (item, new) in enumerate(zip(arg, value)):
            if isinstance(item, (np.ndarray, list, dict)):
                _copy_back(item, new)
            else:
                arg[i] = new
    elif isinstance(arg, dict) and isinstance(value, dict):
        for key, new in value.items():
            if isinstance(arg.get(key), (np.ndarray, list, dict)) and type(new) is type(arg[key]):
                _copy_back(arg[key], new)
            else:
                arg[key] = new
        for key in set(arg) - set(value):
            del arg[key]


def function(session: Session, name: str, target: dict, described):
    def forward(*args, **kwargs):
        return _call(session, target, args, kwargs)

    forward.__name__ = forward.__qualname__ = name
    signature = _signature(described)
    if signature is not None:
        forward.__signature__ = signature
    return forward


def klass(session: Session, name: str, reply: dict):
    def __init__(self, *args, **kwargs):
        answer = session.request({"op": "new", "name": name, "args": [wire.encode(a) for a in args],
                                  "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}})
        if not answer["ok"]:
            _raise(session, str(answer.get("error", "")))
        object.__setattr__(self, "_number", int(answer["obj"]))
        object.__setattr__(self, "_generation", session.generation)

    def __getattr__(self, attribute):
        if attribute.startswith("__") or "_number" not in self.__dict__:
            raise AttributeError(attribute)
        _alive(self)
        answer = session.request({"op": "getattr", "obj": self._number, "attr": attribute})
        if not answer["ok"]:
            _raise(session, str(answer.get("error", "")))
        if answer.get("kind") == "missing":
            raise AttributeError(f"{name!r} object has no attribute {attribute!r}")
        if answer.get("kind") in ("function", "class"):
            return function(session, attribute, {"obj": self._number, "attr": attribute}, answer.get("signature"))
        return wire.decode(answer.get("value"))

    def _alive(self):
        if session.generation != self._generation:
            raise StudentError(_("this object was lost when your code's process was restarted"))

    def method(attribute, described):
        def forward(self, *args, **kwargs):
            _alive(self)
            return _call(session, {"obj": self._number, "attr": attribute}, args, kwargs)

        forward.__name__ = forward.__qualname__ = attribute
        signature = _signature(described)  # the child describes the function on the class: self included
        if signature is not None:
            forward.__signature__ = signature
        return forward

    members = {"__init__": __init__, "__getattr__": __getattr__, "__module__": "__student__"}
    for attribute, described in (reply.get("methods") or {}).items():
        if isinstance(attribute, str) and attribute.isidentifier():
            members[attribute] = method(attribute, described)
    cls = type(name, (), members)
    init = _signature(reply.get("init"))
    if init is not None:
        cls.__signature__ = init
    return cls


def bind(session: Session, name: str):
    """The grader's stand-in for the student's ``name``."""
    reply = session.request({"op": "describe", "name": name})
    if not reply["ok"]:
        _raise(session, str(reply.get("error", "")))
    kind = reply.get("kind")
    if kind == "missing":
        raise Missing(_("your notebook does not define {name}").format(name=name) + session.why_missing())
    if kind == "class":
        return klass(session, name, reply)
    if kind == "function":
        return function(session, name, {"name": name}, reply.get("signature"))
    return wire.decode(reply.get("value"))
