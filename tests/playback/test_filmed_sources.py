"""Videos as phones film them become a ladder that shows them as they were filmed."""

import itertools
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import storages

from playback.models import Video
from playback.services.hls import media_playlist_parse
from playback.services.pipeline import video_process
from playback.services.stills import poster_time

from .conftest import video_with_source
from .test_transcode import _copy_tree, _master_variants, _probe_json

pytestmark = pytest.mark.django_db


def rung_join(folder: Path, target: Path) -> Path:
    """A rung's initialization section and segments, in playlist order, as one file."""
    playlist = media_playlist_parse((folder / "index.m3u8").read_text())
    with open(target, "wb") as joined:
        for name in [playlist.init, *(n for n, _s in playlist.segments)]:
            joined.write((folder / name).read_bytes())
    return target


def picture_similarity(encoded: Path, reference: Path) -> float:
    """PSNR (dB) of the encoded picture against the reference scaled to its size."""
    width, height = (
        _probe_json("-select_streams", "v:0", "-show_entries", "stream=width,height", str(encoded))[
            "streams"
        ][0][k]
        for k in ("width", "height")
    )
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(encoded), "-i", str(reference),
         "-lavfi", f"[1:v]scale={width}:{height}[reference];[0:v][reference]psnr",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(re.search(r"PSNR .* average:([\d.]+|inf)", result.stderr).group(1))


def frame_times(playlist: Path) -> tuple[list[float], list[float]]:
    """When every frame of a rung is shown, and when its keyframes are, in order."""
    packets = _probe_json(
        "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", str(playlist)
    )["packets"]  # fmt: skip
    times = sorted(float(p["pts_time"]) for p in packets)
    return times, sorted(float(p["pts_time"]) for p in packets if "K" in p["flags"])


def gaps(times: list[float]) -> set[float]:
    return {round(b - a, 3) for a, b in itertools.pairwise(times)}


def ladder_copied(video: Video, folder: Path) -> tuple[Video, Path]:
    """A ready video and its ladder, copied out of storage into ``folder``."""
    video.refresh_from_db()
    assert video.state == Video.State.READY, (video.reason, video.error_detail)
    local = folder / "hls"
    _copy_tree(storages["videos"], video.storage_prefix, local)
    return video, local


def _ready(path: Path, tmp_path: Path) -> tuple[Video, Path]:
    return ladder_copied(video_process(video=video_with_source(data=path.read_bytes())), tmp_path)


@pytest.mark.slow
def test_a_phone_video_filmed_sideways_is_shown_upright_in_every_rung_poster_and_thumbnail(
    filmed, tmp_path
):
    video, local = _ready(filmed["sideways"], tmp_path)
    assert (video.width, video.height) == (540, 960)

    # Portrait rungs, never above the source: the short side decides.
    sizes = {r.name: (r.width, r.height) for r in video.renditions.filter(kind="video")}
    assert sizes == {"360p": (360, 640), "540p": (540, 960)}
    variants = _master_variants((local / "master.m3u8").read_text())
    assert sorted(v["attributes"]["RESOLUTION"] for v in variants) == ["360x640", "540x960"]

    for rung, (width, height) in sizes.items():
        joined = rung_join(local / rung, tmp_path / f"{rung}.mp4")
        stream = _probe_json(
            "-select_streams", "v:0", "-show_entries", "stream=width,height,sample_aspect_ratio",
            "-show_entries", "stream_side_data", str(joined),
        )["streams"][0]  # fmt: skip
        assert (stream["width"], stream["height"]) == (width, height)
        assert stream.get("sample_aspect_ratio", "1:1") == "1:1"  # square pixels
        assert not stream.get("side_data_list")  # nothing left for a player to turn again
        # Upright: the picture matches the portrait it was filmed as (turned wrong: ~8 dB).
        assert picture_similarity(joined, filmed["upright"]) > 30

    # The poster is as large as the source, upright; the thumbnails are portrait tiles.
    assert (video.poster.width, video.poster.height) == (540, 960)
    poster = tmp_path / "poster.jpg"
    with video.poster.file.open() as handle:
        poster.write_bytes(handle.read())
    frame = tmp_path / "frame.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{poster_time(video.duration):.2f}",
         "-i", str(filmed["upright"]), "-frames:v", "1", str(frame)],
        check=True,
    )  # fmt: skip
    assert picture_similarity(poster, frame) > 25
    vtt = (local / "thumbnails" / "index.vtt").read_text()
    cues = [line for line in vtt.splitlines() if "#xywh=" in line]
    assert cues[1] == "sprite.jpg#xywh=50,0,50,90"  # as tall as a landscape video's


@pytest.mark.slow
def test_a_video_filmed_at_a_varying_frame_rate_is_encoded_and_declared_at_one_steady_rate(
    filmed, tmp_path
):
    source = _probe_json(
        "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate,r_frame_rate,duration",
        str(filmed["varying"]),
    )["streams"][0]  # fmt: skip
    assert (source["r_frame_rate"], source["avg_frame_rate"]) == ("30/1", "2400/119")  # 20.17
    video, local = _ready(filmed["varying"], tmp_path)
    assert video.frame_rate == 30
    variants = _master_variants((local / "master.m3u8").read_text())
    assert {v["attributes"]["FRAME-RATE"] for v in variants} == {"30.000"}
    for rung in ("360p", "540p"):
        times, keyframes = frame_times(local / rung / "index.m3u8")
        assert gaps(times) <= {0.033, 0.034}  # every frame a thirtieth of a second on
        assert len(times) == round(float(source["duration"]) * 30)  # held frames repeated
        # A keyframe every two seconds: sixty frames at the declared rate.
        assert gaps(keyframes) == {2.0} and len(keyframes) == 4
