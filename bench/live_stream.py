"""The live benchmark's presenter and what the stream leaves in storage: whether the replay is
ready, and how late each segment got there."""

import subprocess
from datetime import datetime
from pathlib import Path

from http_load import percentile

# Series are summed up as the median of each run of this many values (about 15 s).
RUN = 15


def presenter_start(rtmp_port: int, key: str, seconds: float) -> subprocess.Popen:
    """As a presenter's OBS: 1080p30 with sound, in real time."""
    from django.conf import settings

    command = [
        settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-loglevel", "error",
        "-re", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", str(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "60",
        "-b:v", "6M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
        "-f", "flv", f"rtmp://127.0.0.1:{rtmp_port}/live/{key}",
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def medians_over_time(values: list[float]) -> list[float]:
    """The median of each run of ``RUN`` values, in order: when a figure grew, and for how long."""
    return [round(percentile(values[at : at + RUN], 0.5), 1) for at in range(0, len(values), RUN)]


def replay_ready(stream_id: int, prefix: str) -> bool:
    from django.core.files.storage import storages

    from live.models import LiveStream

    if not LiveStream.objects.filter(pk=stream_id, replay_ready_at__isnull=False).exists():
        return False
    storage = storages["videos"]
    master = storage.open(f"{prefix}/master.m3u8").read().decode()
    names = [line for line in master.splitlines() if line and not line.startswith("#")]
    return all("#EXT-X-ENDLIST" in storage.open(f"{prefix}/{n}").read().decode() for n in names)


def stored_lag_over_time(prefix: str, rung: str = "360p") -> list[float]:
    """How late each segment of a rung reached storage: the time it was stored (local storage:
    the file's modification time) less the end of its program date, from the publisher's
    manifest, over time. It rises when the encoder or the publisher falls behind, and does not
    when only the measuring browser does. Its level carries the ingest clock's offset (the
    first frame is dated after the probe); its changes are what tell."""
    from django.core.files.storage import storages

    from playback.services.live_encoding import manifest_read

    storage = storages["videos"]
    lags = [
        Path(storage.path(f"{prefix}/{rung}/{segment.uri}")).stat().st_mtime
        - (datetime.fromisoformat(segment.date).timestamp() + segment.seconds)
        for segment in manifest_read(storage, prefix).get(rung, [])
    ]
    return medians_over_time(lags)
