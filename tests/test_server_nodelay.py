"""TCP_NODELAY on the server side of the kernel websocket, in a real JupyterLab and a real Voila.

How the option is checked: the test duplicates the server's own accepted socket into this process with
``pidfd_getfd(2)`` (the server is our child process, found by its ``--port``; psutil names the file descriptor
whose peer is our websocket client) and calls ``getsockopt(IPPROTO_TCP, TCP_NODELAY)`` on it. That reads the flag
the kernel applies to the very socket the kernel messages travel on, so it cannot pass unless the server really set
it, and it asserts on no timing (a latency test would have to emulate the browser's delayed ACK and would be flaky
on a loaded 2-core machine). The control case starts the same servers with the nnwidgets server extension disabled
(a user config directory) and Voila's connection class put back to jupyter_server's default (voila.json beside
the notebook) and expects the flag off: proof that the check sees the difference and that the flag comes from
nnwidgets.server, not from tornado.
Linux 5.6+ only (pidfd_getfd); elsewhere the test is skipped with the reason.
"""
from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import re
import socket
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_server.gateway.connections import GatewayWebSocketConnection
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from nnwidgets.server import NoDelayConnectionMixin, _load_jupyter_server_extension

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import jupyterlab, voila  # noqa: E402

SYS_PIDFD_GETFD = {"x86_64": 438, "aarch64": 438}.get(os.uname().machine)
DISABLED_SERVER_CONFIG = {"ServerApp": {"jpserver_extensions": {"nnwidgets.server": False}}}
DEFAULT_VOILA_CONFIG = {"Voila": {"kernel_websocket_connection_class":
                                  "jupyter_server.services.kernels.connection.channels.ZMQChannelsWebsocketConnection"}}


@pytest.fixture(params=["enabled", "disabled"])
def extension(request, tmp_path, monkeypatch):
    """``enabled``: the config installing nnwidgets put in etc/jupyter; ``disabled``: a user config undoes it."""
    if not sys.platform.startswith("linux") or SYS_PIDFD_GETFD is None or not hasattr(os, "pidfd_open"):
        pytest.skip("reads the server's socket with pidfd_getfd: Linux x86_64/aarch64 only")
    config_dir = tmp_path / "jupyter-config"
    config_dir.mkdir()
    if request.param == "disabled":
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(DISABLED_SERVER_CONFIG))
        # Voila reads voila.json from the folder it starts in first (in a venv, sys.prefix beats the user dir)
        (tmp_path / "voila.json").write_text(json.dumps(DEFAULT_VOILA_CONFIG))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config_dir))  # also keeps ~/.jupyter out of the test
    return request.param


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_jupyterlab_kernel_websocket_has_nodelay(extension, tmp_path):
    with jupyterlab(tmp_path) as url:
        xsrf = xsrf_cookie(urllib.request.urlopen(url + "lab", timeout=60))  # the server's POST check wants it
        request = urllib.request.Request(url + "api/kernels", data=b"{}", method="POST",
                                         headers={"X-XSRFToken": xsrf, "Cookie": f"_xsrf={xsrf}"})
        kernel_id = json.load(urllib.request.urlopen(request, timeout=60))["id"]
        nodelay = asyncio.run(nodelay_while_connected(url, kernel_id))
    assert nodelay == (extension == "enabled")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_voila_kernel_websocket_has_nodelay(extension, tmp_path):
    notebook = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), notebook)
    with voila(notebook) as url:
        page = urllib.request.urlopen(url, timeout=120)  # Voila starts the kernel and runs the notebook
        cookies = "; ".join(c.split(";")[0] for c in page.headers.get_all("Set-Cookie") or [])
        kernel_id = re.search(r'kernelId["\s:=]+"?([0-9a-f-]{36})', page.read().decode()).group(1)
        nodelay = asyncio.run(nodelay_while_connected(url, kernel_id, cookies))
    assert nodelay == (extension == "enabled")


def test_extension_wraps_the_configured_connection_class_once():
    """A server configured with another connection class (here the gateway's) keeps it, with no-delay added;
    loading the extension twice does not wrap twice; the trait used at shutdown and the tornado setting agree."""

    class FakeServerApp:
        kernel_websocket_connection_class = GatewayWebSocketConnection
        web_app = type("WebApp", (), {"settings": {"kernel_websocket_connection_class": GatewayWebSocketConnection}})
        log = logging.getLogger("test")

    app = FakeServerApp()
    _load_jupyter_server_extension(app)
    wrapped = app.kernel_websocket_connection_class
    assert issubclass(wrapped, GatewayWebSocketConnection) and issubclass(wrapped, NoDelayConnectionMixin)
    assert app.web_app.settings["kernel_websocket_connection_class"] is wrapped
    _load_jupyter_server_extension(app)
    assert app.kernel_websocket_connection_class is wrapped


def xsrf_cookie(response) -> str:
    cookies = dict(c.split(";")[0].split("=", 1) for c in response.headers.get_all("Set-Cookie") or [])
    return cookies["_xsrf"]


async def nodelay_while_connected(url: str, kernel_id: str, cookies: str = "") -> bool:
    """Open the kernel websocket as the page does, wait for a kernel_info reply (the handler's ``open`` has run),
    and read TCP_NODELAY on the server's end of this connection."""
    ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    headers = {"Cookie": cookies} if cookies else {}
    connection = await websocket_connect(HTTPRequest(ws_url, headers=headers, connect_timeout=60))
    try:
        msg_id = uuid.uuid4().hex
        connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": uuid.uuid4().hex,
                       "username": "test", "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
        deadline = time.monotonic() + 60
        while True:
            message = await asyncio.wait_for(connection.read_message(), max(0.1, deadline - time.monotonic()))
            assert message is not None, "the server closed the kernel websocket"
            reply = json.loads(message)
            if reply["msg_type"] == "kernel_info_reply" and reply["parent_header"].get("msg_id") == msg_id:
                break
        client_port = connection.stream.socket.getsockname()[1]
        return server_socket_nodelay(server_pid(url), client_port)
    finally:
        connection.close()


def server_pid(url: str) -> int:
    port = f"--port={url.rstrip('/').rsplit(':', 1)[1]}"
    matches = [p.pid for p in psutil.Process().children() if port in p.cmdline()]
    assert len(matches) == 1, f"expected one server process with {port}, found {matches}"
    return matches[0]


def server_socket_nodelay(pid: int, client_port: int) -> bool:
    """TCP_NODELAY on the socket of process ``pid`` whose peer is 127.0.0.1:``client_port``."""
    fds = [c.fd for c in psutil.Process(pid).net_connections("tcp") if c.raddr and c.raddr.port == client_port]
    assert len(fds) == 1, f"server {pid} has {len(fds)} sockets connected to our port {client_port}"
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, fds[0], 0)
        if fd < 0:
            pytest.skip(f"pidfd_getfd refused here: {os.strerror(ctypes.get_errno())}")
        duplicate = socket.socket(fileno=fd)  # a second descriptor on the server's socket; closing it is harmless
        try:
            return bool(duplicate.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        finally:
            duplicate.close()
    finally:
        os.close(pidfd)
