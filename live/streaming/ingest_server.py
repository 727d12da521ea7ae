"""The RTMP ingest server on this machine: nginx with Debian's libnginx-mod-rtmp, configured
from live/templates/live/ingest/nginx.conf (decision 17)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"


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
