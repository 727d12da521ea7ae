"""The ladder a lecture becomes: every rung, 6 s segments, aligned keyframes, honest bit rates."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages

from playback.models import Rendition, Video
from playback.services import publishing
from playback.services.hls import media_playlist_parse, peak_bit_rate
from playback.services.pipeline import video_process
from playback.services.states import video_queue_again
from tests.conftest import requires_services

from .conftest import video_with_source

pytestmark = pytest.mark.django_db


def _copy_tree(storage, prefix: str, target: Path) -> None:
    folders, files = storage.listdir(prefix)
    target.mkdir(parents=True, exist_ok=True)
    for name in files:
        with storage.open(f"{prefix}/{name}", "rb") as handle:
            (target / name).write_bytes(handle.read())
    for folder in folders:
        _copy_tree(storage, f"{prefix}/{folder}", target / folder)


def _probe_json(*arguments: str) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-of", "json", *arguments],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(result.stdout)


def measured_bit_rates(folder: Path) -> tuple[float, float]:
    """A stored rung's peak (Apple's: over runs of segments) and average bit rate, from the
    sizes of its files."""
    text = (folder / "index.m3u8").read_text()
    target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))
    sizes = [(s, (folder / n).stat().st_size) for n, s in media_playlist_parse(text).segments]
    average = sum(b * 8 for _s, b in sizes) / sum(s for s, _b in sizes)
    return peak_bit_rate(sizes, target_duration=target), average


def first_segment_start(folder: Path, target: Path) -> float:
    """ffprobe's start time of a stream's first segment, with its initialization section."""
    playlist = media_playlist_parse((folder / "index.m3u8").read_text())
    target.write_bytes(
        (folder / playlist.init).read_bytes() + (folder / playlist.segments[0][0]).read_bytes()
    )
    return float(
        _probe_json("-show_entries", "stream=start_time", str(target))["streams"][0]["start_time"]
    )


def _master_variants(text: str) -> list[dict]:
    variants, lines = [], text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append({"attributes": attributes, "uri": lines[index + 1]})
    return variants


@pytest.fixture(scope="module")
def _lecture_transcoded(module_rows, clips, tmp_path_factory):
    """The lecture is transcoded once for this module, its ladder copied out of storage."""

    def transcode():
        video = video_process(video=video_with_source(data=clips["lecture"].read_bytes()))
        assert video.state == Video.State.READY, video.reason
        local = tmp_path_factory.mktemp("lecture") / "hls"
        _copy_tree(storages["videos"], video.storage_prefix, local)
        return video.pk, local

    return module_rows(transcode)


@pytest.fixture
def ready_lecture(_lecture_transcoded, tmp_path):
    video_id, ladder = _lecture_transcoded
    local = shutil.copytree(ladder, tmp_path / "hls")
    return Video.objects.get(pk=video_id), local


@pytest.mark.slow
def test_a_lecture_becomes_a_complete_ladder(ready_lecture):
    video, local = ready_lecture
    master = (local / "master.m3u8").read_text()
    variants = _master_variants(master)
    assert [v["attributes"]["RESOLUTION"] for v in variants] == ["960x540", "640x360", "1280x720"]
    for variant in variants:
        assert set(variant["attributes"]) >= {
            "BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "RESOLUTION", "FRAME-RATE", "AUDIO",
        }  # fmt: skip
        assert variant["attributes"]["FRAME-RATE"] == "30.000"
        assert re.fullmatch(r'"avc1\.6400[0-9a-f]{2},mp4a\.40\.2"', variant["attributes"]["CODECS"])
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in master
    assert '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio"' in master

    programs = _probe_json("-show_programs", str(local / "master.m3u8"))["programs"]
    heights = sorted(
        s["height"] for p in programs for s in p["streams"] if s.get("codec_type") == "video"
    )
    assert heights == [360, 540, 720]

    assert sorted(r.name for r in video.renditions.all()) == ["360p", "540p", "720p", "audio"]
    assert video.ready_at >= video.playable_at


@pytest.mark.slow
def test_a_poster_and_seek_thumbnails_are_made(ready_lecture):
    video, local = ready_lecture
    assert video.poster is not None
    assert video.poster.width == 1280
    vtt = (local / "thumbnails" / "index.vtt").read_text()
    cues = [line for line in vtt.splitlines() if "#xywh=" in line]
    assert vtt.startswith("WEBVTT")
    assert len(cues) == 7  # 14 s, a thumbnail every 2 s
    assert cues[1] == "sprite.jpg#xywh=160,0,160,90"
    assert (local / "thumbnails" / "sprite.jpg").stat().st_size > 1000


@pytest.mark.slow
def test_segments_are_at_most_six_and_a_half_seconds_and_playlists_are_final(ready_lecture):
    _video, local = ready_lecture
    for stream in ("360p", "540p", "720p", "audio"):
        playlist = media_playlist_parse((local / stream / "index.m3u8").read_text())
        assert playlist.ended
        assert playlist.init and playlist.init.startswith("init")
        assert all(seconds <= 6.5 for _name, seconds in playlist.segments)
        assert 13.5 <= sum(seconds for _name, seconds in playlist.segments) <= 14.5
        for name, _seconds in playlist.segments:
            assert (local / stream / name).stat().st_size > 0


@pytest.mark.slow
def test_sound_and_picture_start_together_at_zero(ready_lecture, tmp_path):
    """A player buffers both from zero: no hole to skip at the start."""
    _video, local = ready_lecture
    frame = 1 / 30
    # AAC's priming (1024 samples, 0.021 s) lies before zero; the edit list skips it.
    sound = first_segment_start(local / "audio", tmp_path / "audio.mp4")
    assert abs(sound) < frame
    for rung in ("360p", "540p", "720p"):
        picture = first_segment_start(local / rung, tmp_path / f"{rung}.mp4")
        assert picture == pytest.approx(0, abs=0.001)
        assert abs(picture - sound) < frame


@pytest.mark.slow
def test_keyframes_are_aligned_across_rungs(ready_lecture):
    _video, local = ready_lecture
    keyframes = {}
    for stream in ("360p", "540p", "720p"):
        packets = _probe_json(
            "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
            str(local / stream / "index.m3u8"),
        )["packets"]  # fmt: skip
        keyframes[stream] = [round(float(p["pts_time"]), 2) for p in packets if "K" in p["flags"]]
    assert keyframes["360p"] == keyframes["540p"] == keyframes["720p"]
    gaps = {round(b - a, 2) for a, b in zip(keyframes["720p"], keyframes["720p"][1:], strict=False)}
    assert gaps == {settings.PLAYBACK_GOP_SECONDS}


@pytest.mark.slow
def test_declared_bit_rates_are_within_ten_percent_of_what_was_measured(ready_lecture):
    _video, local = ready_lecture

    audio_peak, audio_average = measured_bit_rates(local / "audio")
    for variant in _master_variants((local / "master.m3u8").read_text()):
        peak, average = measured_bit_rates(local / variant["uri"].split("/")[0])
        declared_peak = int(variant["attributes"]["BANDWIDTH"])
        declared_average = int(variant["attributes"]["AVERAGE-BANDWIDTH"])
        assert abs(declared_peak - (peak + audio_peak)) <= 0.1 * declared_peak
        assert abs(declared_average - (average + audio_average)) <= 0.1 * declared_average
        assert declared_peak <= 2 * declared_average  # VOD peak within 200 % of the average


@pytest.mark.slow
def test_viewers_never_see_a_playlist_pointing_at_a_missing_file(clips, monkeypatch):
    storage = storages["videos"]
    checks = {"syncs": 0, "master_seen_before_end": False}
    original_sync = publishing.HlsPublisher.sync

    def checked_sync(self, *, final=False):
        original_sync(self, final=final)
        checks["syncs"] += 1
        for stream in self.published:
            name = f"{self.prefix}/{stream}/index.m3u8"
            if storage.exists(name):
                with storage.open(name) as handle:
                    playlist = media_playlist_parse(handle.read().decode())
                for segment, _seconds in playlist.segments:
                    assert storage.exists(f"{self.prefix}/{stream}/{segment}")
        if storage.exists(f"{self.prefix}/master.m3u8") and not final:
            checks["master_seen_before_end"] = True
            for variant in _master_variants(
                storage.open(f"{self.prefix}/master.m3u8").read().decode()
            ):
                assert storage.exists(f"{self.prefix}/{variant['uri']}")

    monkeypatch.setattr(publishing.HlsPublisher, "sync", checked_sync)
    video = video_process(video=video_with_source(data=clips["lecture"].read_bytes()))
    assert video.state == Video.State.READY
    assert checks["syncs"] > 2
    assert checks["master_seen_before_end"]


def test_running_the_job_again_publishes_nothing_twice(clips):
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    renditions = list(video.renditions.values_list("id", "name"))
    again = video_process(video=video)
    assert again.state == Video.State.READY
    assert list(again.renditions.values_list("id", "name")) == renditions
    assert again.ready_at == video.ready_at


@pytest.mark.slow
def test_transcode_again_writes_a_new_generation_and_removes_the_old(clips):
    storage = storages["videos"]
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    first_prefix = video.storage_prefix
    video = video_queue_again(video=video, new_generation=True)
    assert video.published_generation == 1  # viewers keep the old ladder meanwhile
    video = video_process(video=video)
    assert video.state == Video.State.READY
    assert video.published_generation == video.generation == 2
    assert storage.exists(f"{video.storage_prefix}/master.m3u8")
    assert not storage.exists(f"{first_prefix}/master.m3u8")
    assert set(Rendition.objects.filter(video=video).values_list("generation", flat=True)) == {2}


@pytest.mark.slow
def test_a_small_silent_source_is_never_upscaled(clips):
    video = video_process(video=video_with_source(data=clips["silent"].read_bytes()))
    assert video.state == Video.State.READY
    assert sorted(video.renditions.values_list("name", flat=True)) == ["360p"]
    master = storages["videos"].open(f"{video.storage_prefix}/master.m3u8").read().decode()
    assert "AUDIO=" not in master
    tiny = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    assert list(tiny.renditions.filter(kind="video").values_list("height", flat=True)) == [270]


@requires_services
def test_on_s3_playlists_and_segments_carry_hls_headers(clips, s3_bucket):
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    playlist = s3_bucket.head_object(Bucket=bucket, Key=f"{video.storage_prefix}/270p/index.m3u8")
    assert playlist["ContentType"] == "application/vnd.apple.mpegurl"
    assert playlist["CacheControl"] == "private, max-age=2"
    segment = s3_bucket.head_object(Bucket=bucket, Key=f"{video.storage_prefix}/270p/seg_00000.m4s")
    assert segment["ContentType"] == "video/iso.segment"
    assert segment["CacheControl"] == "private, max-age=31536000, immutable"


def test_a_failure_making_stills_never_costs_a_playable_video(clips, monkeypatch):
    from playback.services import stills

    def broken(**kwargs):
        raise RuntimeError("no poster today")

    monkeypatch.setattr(stills, "poster_render", broken)
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    assert video.state == Video.State.READY
    assert video.poster_id is None


@pytest.mark.slow
def test_every_segment_is_published_when_the_encoder_outpaces_the_publisher(clips, monkeypatch):
    """ffmpeg lists only its newest segments; ones that scroll off unseen are still published."""
    from playback.services import transcoding

    original = transcoding.ffmpeg_run
    monkeypatch.setattr(
        transcoding, "ffmpeg_run", lambda *a, **k: original(*a, **k, poll_interval=30)
    )
    video = video_process(video=video_with_source(data=clips["lecture"].read_bytes()))
    assert video.state == Video.State.READY, video.reason
    storage = storages["videos"]
    for stream in ("360p", "audio"):
        text = storage.open(f"{video.storage_prefix}/{stream}/index.m3u8").read().decode()
        playlist = media_playlist_parse(text)
        assert [n for n, _s in playlist.segments] == sorted(
            n for n in storage.listdir(f"{video.storage_prefix}/{stream}")[1] if n.endswith(".m4s")
        )
        assert sum(s for _n, s in playlist.segments) == pytest.approx(14, abs=0.1)
        assert all(s > 0 for _n, s in playlist.segments)


@pytest.mark.slow
def test_segment_durations_read_from_the_media_match_the_encoders(ready_lecture):
    from playback.services.fmp4 import segment_seconds

    _video, local = ready_lecture
    for stream in ("720p", "audio"):
        playlist = media_playlist_parse((local / stream / "index.m3u8").read_text())
        init = (local / stream / playlist.init).read_bytes()
        for name, seconds in playlist.segments:
            assert segment_seconds((local / stream / name).read_bytes(), init) == pytest.approx(
                seconds, abs=0.002
            )
