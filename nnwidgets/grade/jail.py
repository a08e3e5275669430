"""What the child does to itself before it reads a line of student code (standard library only, run first).

Limits (``resource.setrlimit``): CPU seconds, address space, processes (fork bombs), file size, no core files.
Network: a new, empty network namespace when the kernel allows it (as root, or through an unprivileged user
namespace), else Python's socket functions are replaced (that stops ordinary code, not a determined one).
Files: in a private mount namespace everything is read-only except the scratch folder, which is a size-capped
tmpfs, and the folders holding the instructor's source notebook are covered by an empty one.
Identity: when the grader runs as root the child drops to a uid of its own, so it cannot write files outside
its scratch directory and world-writable places, RLIMIT_NPROC applies, and the grader can kill every process
the child started, even ones that left its process group.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import resource
import socket
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
#: per-mount options kept when a mount is made read-only (the kernel refuses to drop some of them)
KEPT = {"nosuid": 2, "nodev": 4, "noexec": 8, "noatime": 1024, "nodiratime": 2048, "relatime": 1 << 21}


def enter(config: dict) -> dict:
    """Applies ``config`` (from the parent) to this process; returns what it could apply."""
    as_root = config.get("uid") is not None
    applied = {"network": _isolate(as_root)}
    if applied["network"] == "namespace":
        applied.update(_private_filesystem(config))
    else:
        applied.update({"filesystem": "as is", "scratch": "no total size cap (no mount namespace)",
                        "source notebook": "readable (no mount namespace)"})
    if config.get("uid") is not None:
        os.setgroups([])
        os.setgid(config["uid"])
        os.setuid(config["uid"])
        if config.get("stdlib"):  # the standard library, from a copy this uid can read
            original, copy = config["stdlib"]
            _move_paths(sys.path, original, copy)
            for module in list(sys.modules.values()):  # packages imported already look for submodules here
                if isinstance(getattr(module, "__path__", None), list):
                    _move_paths(module.__path__, original, copy)
        applied["uid"] = "separate"
    else:
        applied["uid"] = "same"
    cpu = int(config["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = int(config["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_NPROC, (int(config["nproc"]), int(config["nproc"])))
    size = int(config["file_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(config["scratch"])
    _block_sockets()
    return applied


def _mount_points() -> list[tuple[str, int]]:
    """(mount point, kept flags) from /proc/self/mountinfo, in mount order."""
    points = []
    with open("/proc/self/mountinfo") as info:
        for line in info:
            fields = line.split()
            path = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            flags = sum(KEPT.get(option, 0) for option in fields[5].split(","))
            points.append((path, flags))
    return points


def _private_filesystem(config: dict) -> dict:
    """In this (new, private) mount namespace: the scratch folder becomes a tmpfs of ``scratch_mb`` (a cap on
    everything the child writes), every other mount read-only, and the folders holding the instructor's source
    notebook (``hide``) are covered by an empty read-only tmpfs, so no solution can be copied from them."""
    scratch = config["scratch"]
    applied = {"filesystem": "as is", "scratch": "no total size cap (no mount namespace)",
               "source notebook": "readable (no mount namespace)"}
    if LIBC.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return applied  # never remount anything unless the changes stay in this namespace
    owner = config.get("uid") if config.get("uid") is not None else os.getuid()
    options = f"size={int(config.get('scratch_mb', 64))}m,mode=0700,uid={owner},gid={owner}"
    if LIBC.mount(b"tmpfs", scratch.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options.encode()) == 0:
        applied["scratch"] = f"a tmpfs of {int(config.get('scratch_mb', 64))} MB"
    elif LIBC.mount(scratch.encode(), scratch.encode(), None, MS_BIND, None) != 0:
        return applied
    failed = [path for path, flags in _mount_points() if path != scratch and
              LIBC.mount(None, path.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None) != 0]
    if "/" not in failed:
        applied["filesystem"] = "read-only except the scratch folder"
    hidden = [path for path in config.get("hide", []) if os.path.isdir(path) and LIBC.mount(
        b"tmpfs", path.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, b"size=4k,mode=0555") == 0]
    applied["source notebook"] = "hidden" if len(hidden) == len(config.get("hide", [])) else \
        f"partly hidden ({len(hidden)} of {len(config.get('hide', []))} folders)"
    return applied


def _move_paths(paths: list, original: str, copy: str) -> None:
    paths[:] = [copy + entry[len(original):] if entry.startswith(original) else entry for entry in paths]


LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _isolate(as_root: bool) -> str:
    """New network and mount namespaces (through a user namespace when not root); how the network ended up."""
    if as_root:
        return "namespace" if LIBC.unshare(CLONE_NEWNET | CLONE_NEWNS) == 0 else "sockets blocked in Python"
    uid, gid = os.getuid(), os.getgid()
    if LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0:
        return "sockets blocked in Python"
    try:  # map our own ids, so files keep their owners inside the namespace
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                           ("/proc/self/gid_map", f"{gid} {gid} 1")):
            with open(path, "w") as handle:
                handle.write(text)
    except OSError:
        pass
    return "namespace"


class _NoNetwork(socket.socket):
    def __init__(self, *args, **kwargs):
        raise PermissionError("the grader runs your code without network access")


def _refuse(*args, **kwargs):
    raise PermissionError("the grader runs your code without network access")


def _block_sockets() -> None:
    socket.socket = _NoNetwork
    for name in ("create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo"):
        setattr(socket, name, _refuse)
