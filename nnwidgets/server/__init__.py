"""Jupyter server extension: TCP_NODELAY on every kernel websocket (JupyterLab, Notebook 7, Voila).

jupyter_server relays each kernel message as its own websocket frame, and tornado leaves Nagle's algorithm on
for websockets (no-delay is opt-in, tornadoweb/tornado#755). After the small ``status: busy`` frame, the frames of
a widget update wait for the browser's delayed ACK (~40 ms), which doubled the key-press-to-paint time of a slider
(docs/upstream_tcp_nodelay.md has the measurements). This module turns no-delay on when a kernel websocket opens:

- JupyterLab and Notebook 7 (jupyter_server): installing nnwidgets enables this server extension through
  ``etc/jupyter/jupyter_server_config.d/nnwidgets.json``; on load it wraps the configured
  ``kernel_websocket_connection_class`` (whatever it is: the ZMQ default, a gateway or a user's own class).
- Voila standalone (its own tornado app, which loads no server extensions): ``etc/jupyter/voila.json`` sets
  ``Voila.kernel_websocket_connection_class`` to :class:`NoDelayZMQChannelsWebsocketConnection`.
  Voila as a server extension (``/voila/render``) is served by jupyter_server and is covered by the first case.

Nothing here imports nnwidgets' panels or JAX: the server process only pays for this module.
"""
from __future__ import annotations

from jupyter_server.services.kernels.connection.base import BaseKernelWebsocketConnection
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

EXTENSION_NAME = "nnwidgets.server"


class NoDelayConnectionMixin:
    """Turns on TCP_NODELAY on the websocket's TCP stream before the connection relays its first kernel message."""

    def connect(self):
        # KernelWebsocketHandler.open calls connect() right after the websocket handshake, when the stream exists.
        self.websocket_handler.set_nodelay(True)
        self.log.debug("TCP_NODELAY on for the websocket of kernel %s", self.kernel_id)
        return super().connect()


def with_nodelay(connection_class: type[BaseKernelWebsocketConnection]) -> type[BaseKernelWebsocketConnection]:
    """``connection_class`` with no-delay turned on at connect (itself if it already does that)."""
    if issubclass(connection_class, NoDelayConnectionMixin):
        return connection_class
    return type(f"NoDelay{connection_class.__name__}", (NoDelayConnectionMixin, connection_class), {})


class NoDelayZMQChannelsWebsocketConnection(NoDelayConnectionMixin, ZMQChannelsWebsocketConnection):
    """jupyter_server's default kernel websocket connection with TCP_NODELAY (the class Voila is configured with)."""


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": EXTENSION_NAME}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Wrap the server's kernel websocket connection class; extensions load after the web app is built, so the
    tornado setting the handlers read is replaced too (and the trait, which the server uses at shutdown)."""
    connection_class = with_nodelay(serverapp.kernel_websocket_connection_class)
    serverapp.kernel_websocket_connection_class = connection_class
    serverapp.web_app.settings["kernel_websocket_connection_class"] = connection_class
    serverapp.log.info("nnwidgets: kernel websockets use TCP_NODELAY (%s)", connection_class.__name__)
