"""The RTMP ingest server on this machine: nginx with Debian's libnginx-mod-rtmp, configured
from live/templates/live/ingest/nginx.conf (decision 17)."""

import http.client
import logging
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
CONTROL_SOCKET_NAME = "control.sock"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestServer:
    config: Path
    command: list[str]


def ingest_server_prepare(
    *, var_dir: Path, port: int, callback_url: str, host: str | None = None
) -> IngestServer:
    """Write nginx's configuration into ``var_dir``; returns it with the command that runs
    nginx in the foreground on it."""
    var_dir.mkdir(parents=True, exist_ok=True)
    config = var_dir / "nginx.conf"
    config.write_text(
        render_to_string(
            "live/ingest/nginx.conf",
            {
                "module": RTMP_MODULE,
                "var_dir": var_dir,
                "host": host or settings.LIVE_RTMP_HOST,
                "port": port,
                "control_socket": var_dir / CONTROL_SOCKET_NAME,
                "callback": callback_url.rstrip("/"),
                "log_level": "info" if settings.DEBUG else "warn",
            },
        )
    )
    command = [settings.LIVE_NGINX_BINARY, "-p", str(var_dir), "-e", str(var_dir / "error.log")]
    return IngestServer(config=config, command=[*command, "-c", str(config)])


def ingest_read_url(stream_uuid, *, port: int | None = None) -> str:
    """Where the encoder reads a stream back: loopback, under the stream's id."""
    return f"rtmp://127.0.0.1:{port or settings.LIVE_RTMP_PORT}/live/{stream_uuid}"


def ingest_control_socket() -> Path:
    """The ingest's control socket as `manage.py live_ingest` runs it (var/live/)."""
    return Path(settings.VAR_DIR) / "live" / CONTROL_SOCKET_NAME


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = str(path)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def ingest_publisher_drop(stream_uuid, *, control_socket: Path | None = None) -> bool:
    """Disconnect whoever publishes the stream (nginx then calls on_publish_done). False when
    the ingest server cannot be reached."""
    query = urlencode({"app": "live", "name": str(stream_uuid)})
    connection = _UnixHTTPConnection(control_socket or ingest_control_socket(), timeout=5)
    try:
        connection.request("GET", f"/control/drop/publisher?{query}")
        response = connection.getresponse()
        response.read()
    except OSError:
        logger.warning("the ingest server's control socket did not answer", exc_info=True)
        return False
    finally:
        connection.close()
    return response.status == 200
