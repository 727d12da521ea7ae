"""The live benchmark's presenter and what the stream leaves in storage: whether the replay is
ready, and how late each segment got there."""

import subprocess
import threading
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


class ScratchWatch(threading.Thread):
    """When the encoder's ffmpeg finished each segment of a rung: the modification time of the
    segment in its scratch folder (``<scratch>/p<n>/<rung>/seg_*.m4s``; ffmpeg writes a
    ``.tmp`` and renames it when done), looked up twice a second while the stream lasts."""

    def __init__(self, scratch: Path, rung: str = "360p"):
        super().__init__(daemon=True)
        self.scratch, self.rung = scratch, rung
        self.finished: dict[str, float] = {}  # p<n>/seg_xxxxx.m4s: when
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for path in self.scratch.glob(f"p*/{self.rung}/seg_*.m4s"):
                uri = f"{path.parent.parent.name}/{path.name}"
                if uri not in self.finished:
                    try:
                        self.finished[uri] = path.stat().st_mtime
                    except FileNotFoundError:
                        continue


def segment_lags_over_time(prefix: str, watch: ScratchWatch) -> dict[str, list[float]]:
    """Where a late segment lost its time: ``encoded`` is when ffmpeg finished it less the end
    of its program date (the encoder behind real time), ``published`` when it was stored less
    when ffmpeg finished it (the publisher behind the encoder)."""
    from django.core.files.storage import storages

    from playback.services.live_playlists import manifest_read

    storage = storages["videos"]
    encoded, published = [], []
    for segment in manifest_read(storage, prefix).get(watch.rung, []):
        finished = watch.finished.get(segment.uri)
        if finished is None:
            continue
        stored = Path(storage.path(f"{prefix}/{watch.rung}/{segment.uri}")).stat().st_mtime
        end = datetime.fromisoformat(segment.date).timestamp() + segment.seconds
        encoded.append(finished - end)
        published.append(stored - finished)
    return {
        "segment_encoded_lag_over_time_s": medians_over_time(encoded),
        "segment_publish_delay_over_time_s": medians_over_time(published),
        "segments_seen_in_scratch": len(encoded),
    }


def stored_lag_over_time(prefix: str, rung: str = "360p") -> list[float]:
    """How late each segment of a rung reached storage: the time it was stored (local storage:
    the file's modification time) less the end of its program date, from the publisher's
    manifest, over time. It rises when the encoder or the publisher falls behind, and does not
    when only the measuring browser does. Its level carries the ingest clock's offset (the
    first frame is dated after the probe); its changes are what tell."""
    from django.core.files.storage import storages

    from playback.services.live_playlists import manifest_read

    storage = storages["videos"]
    lags = [
        Path(storage.path(f"{prefix}/{rung}/{segment.uri}")).stat().st_mtime
        - (datetime.fromisoformat(segment.date).timestamp() + segment.seconds)
        for segment in manifest_read(storage, prefix).get(rung, [])
    ]
    return medians_over_time(lags)
