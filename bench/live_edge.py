"""The edge in front of the app for the live benchmark, as production has it (decision 17): the
stream's files (playlists, segments, the published question list) come straight from storage,
the rest goes to the app. nginx (the one the ingest already uses) serves the local storage
folder, standing in for the CDN; it checks no cookie, as the CDN's own check costs the app
nothing either. The measuring browser goes through it, so its latency is the stream's and not
the app tier's queue."""

import os
import subprocess
import time
from pathlib import Path

from heartbeat_stack import free_port

CONFIG = """daemon off;
{user}worker_processes 1;
pid {folder}/edge.pid;
error_log {folder}/edge-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    types {{
        application/vnd.apple.mpegurl m3u8;
        video/iso.segment m4s;
        video/mp4 mp4;
        application/json json;
    }}
    client_body_temp_path {folder}/edge-body;
    proxy_temp_path {folder}/edge-proxy;
    server {{
        listen 127.0.0.1:{port};
        location ~ ^/live/[0-9a-f-]+/hls/ {{
            root {media};
            # A delta update of a rung's playlist, as the CDN's function maps it (live runbook).
            if ($arg__HLS_skip ~ ^(YES|v2)$) {{
                rewrite ^(/live/.+)/index[.]m3u8$ $1/delta.m3u8 break;
            }}
            add_header Cache-Control "private, max-age=1";
        }}
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
        }}
    }}
}}
"""


def edge_start(*, nginx: str, folder: Path, media: Path, app_port: int):
    """nginx on a free loopback port; returns the process and the port."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "edge.conf"
    # Stored files are readable by their owner only (FILE_UPLOAD_PERMISSIONS): as root, nginx's
    # workers would otherwise run as nobody.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        CONFIG.format(user=user, folder=folder, port=port, media=media, app_port=app_port)
    )
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-e", str(folder / "edge-error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    time.sleep(0.5)
    if process.poll() is not None:
        raise SystemExit(f"the edge (nginx) did not start; see {folder / 'edge-error.log'}")
    return process, port
