"""Long videos: cut into parts that several workers encode, stitched into one seamless ladder."""

import itertools
import json
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from playback.layout import parts_prefix
from playback.models import TranscodePart, Video
from playback.services import chunked, cutting, stitching
from playback.services.hls import media_playlist_parse
from playback.services.pipeline import video_process
from playback.services.publishing import SLIVER_SECONDS
from playback.tasks import video_part_task

from .conftest import video_with_source
from .test_filmed_sources import (
    frame_times,
    gaps,
    ladder_copied,
    picture_similarity,
    rung_join,
)
from .test_iframes import iframes_check, iframes_follow_keyframes
from .test_transcode import (
    _master_variants,
    _probe_json,
    first_segment_start,
    measured_bit_rates,
)

pytestmark = pytest.mark.django_db
RUNGS = ("360p", "540p", "720p")


@pytest.fixture(autouse=True)
def _short_chunks(settings):
    """The 40 s test lecture counts as long; its keyframes (every 8⅓ s) decide where it is cut."""
    settings.PLAYBACK_CHUNKED_MIN_SECONDS = 20
    settings.PLAYBACK_FIRST_CHUNK_SECONDS = settings.PLAYBACK_CHUNK_SECONDS = 12


def _split(clips, capture) -> tuple[Video, list]:
    """The coordinator's work only: the parts are queued, not yet run."""
    with capture(execute=False) as queued:
        video = video_process(video=video_with_source(data=clips["long_lecture"].read_bytes()))
    return video, queued


def _parts(video: Video) -> list[TranscodePart]:
    return list(TranscodePart.objects.filter(video=video).order_by("kind", "index"))


def _encoded_in_parts(video: Video, queued: list, capture, folder: Path) -> tuple[Video, Path]:
    """Every queued part run to the end; the ladder copied out of storage into ``folder``."""
    with capture(execute=True):
        for job in queued:
            job()
    return ladder_copied(video, folder)


@pytest.mark.slow
def test_a_long_video_is_cut_at_keyframes_into_parts_and_the_sound_is_one_part(
    clips, django_capture_on_commit_callbacks
):
    video, queued = _split(clips, django_capture_on_commit_callbacks)
    assert video.state == Video.State.TRANSCODING
    parts = _parts(video)
    audio = [p for p in parts if p.kind == "audio"]
    pictures = [p for p in parts if p.kind == "video"]
    assert len(audio) == 1 and audio[0].duration == pytest.approx(40, abs=0.1)
    # Cut at the first of the source's keyframes (one every 250 frames) after 12 s and 24 s.
    assert [round(p.start, 2) for p in pictures] == [0.0, 16.67, 25.0]
    assert sum(p.duration for p in pictures) == pytest.approx(40, abs=0.1)
    storage = storages["videos"]
    assert all(storage.exists(p.source_key) for p in parts)
    assert all(p.source_key.startswith(parts_prefix(video.uuid, 1)) for p in parts)
    # The chunks are queued for any worker; the sound was encoded while they were cut.
    assert len(queued) == len(pictures) and audio[0].done
    assert video.poster_id is not None


@pytest.mark.slow
def test_a_chunked_lecture_plays_from_its_first_chunk_and_ends_one_seamless_ladder(
    clips, client, django_capture_on_commit_callbacks, tmp_path
):
    """The lecture is encoded in parts once (the costly step), in an order that shows the
    playlists growing, and the finished ladder is then checked four ways."""
    video, queued = _split(clips, django_capture_on_commit_callbacks)
    _the_video_plays_once_the_first_chunk_and_the_sound_are_done(
        video, queued, django_capture_on_commit_callbacks
    )
    video, local = ladder_copied(video, tmp_path)
    _parts_stitch_into_one_continuous_ladder_with_aligned_keyframes(video, local)
    _bit_rates_are_measured_over_every_part_and_the_chunks_are_cleaned_up(video, local)
    _a_viewer_fetches_every_stitched_segment_through_signed_urls(video, client)
    _running_a_part_again_changes_nothing(video, django_capture_on_commit_callbacks)


def _parts_stitch_into_one_continuous_ladder_with_aligned_keyframes(video, local):
    variants = _master_variants((local / "master.m3u8").read_text())
    assert sorted(v["attributes"]["RESOLUTION"] for v in variants) == [
        "1280x720", "640x360", "960x540",
    ]  # fmt: skip
    assert sorted(video.renditions.values_list("name", flat=True)) == [*RUNGS, "audio"]
    for stream in (*RUNGS, "audio"):
        playlist = media_playlist_parse((local / stream / "index.m3u8").read_text())
        assert playlist.ended
        assert all(seconds <= 6.5 for _name, seconds in playlist.segments)
        assert sum(seconds for _name, seconds in playlist.segments) == pytest.approx(40, abs=0.5)
        text = (local / stream / "index.m3u8").read_text()
        # One initialization section for the whole stream, no discontinuities.
        assert text.count("#EXT-X-MAP") == 1
        assert "DISCONTINUITY" not in text

    packets = _probe_json(
        "-select_streams", "v:0", "-show_entries", "packet=pts_time,dts_time",
        str(local / "720p" / "index.m3u8"),
    )["packets"]  # fmt: skip
    assert len(packets) == 40 * 30  # every frame once
    times = sorted(float(p["pts_time"]) for p in packets)
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(times)]
    assert set(gaps) <= {0.033, 0.034}  # no hole and no overlap at the seams
    decode = [float(p["dts_time"]) for p in packets]
    assert decode == sorted(decode)

    sound = _probe_json(
        "-select_streams", "a:0", "-show_entries", "packet=pts_time",
        str(local / "audio" / "index.m3u8"),
    )["packets"]  # fmt: skip
    assert abs(float(sound[0]["pts_time"]) - times[0]) < 1 / 30  # picture and sound together
    picture_start = first_segment_start(local / "720p", local.parent / "720p.mp4")
    assert picture_start == pytest.approx(chunked.TIMELINE_OFFSET, abs=0.001)
    sound_start = first_segment_start(local / "audio", local.parent / "audio.mp4")
    assert abs(sound_start - picture_start) < 1 / 30  # AAC's priming just before
    assert float(sound[-1]["pts_time"]) - times[0] == pytest.approx(40, abs=0.1)

    keyframes = {}
    for stream in RUNGS:
        packets = _probe_json(
            "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
            str(local / stream / "index.m3u8"),
        )["packets"]  # fmt: skip
        keyframes[stream] = [round(float(p["pts_time"]), 2) for p in packets if "K" in p["flags"]]
    assert keyframes["360p"] == keyframes["540p"] == keyframes["720p"]
    for stream in RUNGS:  # keyframes mid-segment, at seams, and at the end of parts
        entries = iframes_check(local / stream, local.parent)
        assert (local / stream / "iframes.m3u8").read_text().count("#EXT-X-MAP") == 1
        iframes_follow_keyframes(entries, keyframes[stream], seconds=40)
    # Every chunk starts with a keyframe, two seconds apart from there on.
    for part in TranscodePart.objects.filter(video=video, kind="video"):
        start = part.start + chunked.TIMELINE_OFFSET
        starts = [k for k in keyframes["720p"] if abs(k - start) < 0.05]
        assert starts, (start, keyframes["720p"])
        assert round(starts[0] + settings.PLAYBACK_GOP_SECONDS, 2) in keyframes["720p"]


def _bit_rates_are_measured_over_every_part_and_the_chunks_are_cleaned_up(video, local):
    audio_peak, audio_average = measured_bit_rates(local / "audio")
    for variant in _master_variants((local / "master.m3u8").read_text()):
        peak, average = measured_bit_rates(local / variant["uri"].split("/")[0])
        declared_peak = int(variant["attributes"]["BANDWIDTH"])
        declared_average = int(variant["attributes"]["AVERAGE-BANDWIDTH"])
        assert declared_peak == pytest.approx(peak + audio_peak, rel=0.1)
        assert declared_average == pytest.approx(average + audio_average, rel=0.1)
        assert declared_peak <= 2 * declared_average

    storage = storages["videos"]
    for part in _parts(video):
        assert part.done
        assert not storage.exists(part.source_key)
    vtt = (local / "thumbnails" / "index.vtt").read_text()
    assert vtt.count("#xywh=") == 20  # 40 s, a thumbnail every 2 s
    assert video.progress == 100
    scratch = Path(settings.PLAYBACK_SCRATCH_DIR or "/tmp/leerstroom")
    assert not list(scratch.glob(f"{video.uuid}-*"))


def _the_video_plays_once_the_first_chunk_and_the_sound_are_done(
    video, queued, django_capture_on_commit_callbacks
):
    storage = storages["videos"]
    # The sound is encoded while the source is cut; queued first: the short first chunk.
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    video.refresh_from_db()
    assert video.state == Video.State.TRANSCODING
    assert video.published_generation == 1 and video.playable_at is not None
    assert 0 < video.progress < 100
    master = storage.open(f"{video.storage_prefix}/master.m3u8").read().decode()
    assert len(_master_variants(master)) == 3
    for stream in RUNGS:
        text = storage.open(f"{video.storage_prefix}/{stream}/index.m3u8").read().decode()
        playlist = media_playlist_parse(text)
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text and not playlist.ended
        assert {name.split("/")[0] for name, _s in playlist.segments} == {"part_0000"}
        for name, _seconds in playlist.segments:
            assert storage.exists(f"{video.storage_prefix}/{stream}/{name}")

    # The last chunk finishing before the middle one adds nothing past the gap.
    with django_capture_on_commit_callbacks(execute=True):
        queued[-1]()
    text = storage.open(f"{video.storage_prefix}/720p/index.m3u8").read().decode()
    assert "part_0002" not in text
    with django_capture_on_commit_callbacks(execute=True):
        queued[1]()
    video.refresh_from_db()
    assert video.state == Video.State.READY
    text = storage.open(f"{video.storage_prefix}/720p/index.m3u8").read().decode()
    assert "part_0002" in text and "#EXT-X-ENDLIST" in text


@pytest.mark.slow
def test_the_sound_and_the_first_chunk_are_queued_while_the_rest_is_still_being_cut(
    clips, django_capture_on_commit_callbacks, monkeypatch
):
    """Work starts on a long source before it is cut to the end (read here at 8× its speed,
    so the cutting takes five seconds: long enough to see what is queued meanwhile)."""
    split, publish, cut = cutting.split_arguments, cutting.ChunkPublisher._publish, cutting._cut
    monkeypatch.setattr(cutting, "split_arguments", lambda **kw: ["-readrate", "8", *split(**kw)])
    published, cut_ended = {}, {}

    def timed_publish(self, kind, index, *args):
        video = Video.objects.get(pk=self.video.pk)
        published[(kind, index)] = (time.monotonic(), video.parts_cut_generation)
        return publish(self, kind, index, *args)

    def timed_cut(*args):
        cut(*args)
        cut_ended["at"] = time.monotonic()

    monkeypatch.setattr(cutting.ChunkPublisher, "_publish", timed_publish)
    monkeypatch.setattr(cutting, "_cut", timed_cut)
    video, queued = _split(clips, django_capture_on_commit_callbacks)

    assert list(published) == [("video", 0), ("audio", 0), ("video", 1), ("video", 2)]
    assert len(queued) == 3  # the chunks; this worker encoded the sound meanwhile
    assert TranscodePart.objects.get(video=video, kind="audio").done
    # The sound and the first chunk (cut at 16.67 s, about 2 s in) well before the cut ends.
    for first in (("audio", 0), ("video", 0)):
        assert cut_ended["at"] - published[first][0] > 1.5
    # The parts are only known to be complete once the cut has ended.
    assert all(cut is None for _at, cut in published.values())
    assert video.parts_cut_generation == video.generation


def test_a_worker_lost_while_cutting_leaves_its_parts_and_the_next_one_cuts_the_rest(
    clips, django_capture_on_commit_callbacks, monkeypatch
):
    publish = cutting.ChunkPublisher._publish

    def lost_at_the_second_chunk(self, kind, index, *args):
        if (kind, index) == ("video", 1):
            raise SystemExit("worker lost")
        return publish(self, kind, index, *args)

    monkeypatch.setattr(cutting.ChunkPublisher, "_publish", lost_at_the_second_chunk)
    video = video_with_source(data=clips["long_lecture"].read_bytes())
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=False):
        video_process(video=video)
    first = {(p.kind, p.index): p.pk for p in _parts(video)}
    assert set(first) == {("audio", 0), ("video", 0)}
    # Every part known so far is done, yet the video is not finished: more are coming.
    TranscodePart.objects.filter(video=video).update(done=True)
    assert stitching.parts_finish(video=video).state == Video.State.TRANSCODING
    TranscodePart.objects.filter(video=video).update(done=False)

    monkeypatch.setattr(cutting.ChunkPublisher, "_publish", publish)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        video = video_process(video=video)
    parts = {(p.kind, p.index): p.pk for p in _parts(video)}
    assert len(parts) == 4 and all(parts[key] == pk for key, pk in first.items())
    assert len(queued) == 3 and video.parts_cut_generation == video.generation
    assert TranscodePart.objects.get(video=video, kind="audio").done
    # Each chunk is in storage once, under its own name.
    _folders, files = storages["videos"].listdir(parts_prefix(video.uuid, video.generation))
    assert sorted(files) == ["audio.mka", "chunk_0000.mkv", "chunk_0001.mkv", "chunk_0002.mkv"]


def _running_a_part_again_changes_nothing(video, django_capture_on_commit_callbacks):
    before = {p.pk: (p.attempts, p.streams) for p in _parts(video)}
    master = storages["videos"].open(f"{video.storage_prefix}/master.m3u8").read()
    for part_id in before:
        video_part_task.delay(part_id)
    with django_capture_on_commit_callbacks(execute=True):
        again = video_process(video=video)
    assert again.state == Video.State.READY and again.ready_at == video.ready_at
    assert {p.pk: (p.attempts, p.streams) for p in _parts(video)} == before
    assert storages["videos"].open(f"{video.storage_prefix}/master.m3u8").read() == master


@pytest.mark.slow
def test_a_part_whose_worker_died_is_encoded_again_and_keeps_what_it_published(
    clips, django_capture_on_commit_callbacks, monkeypatch
):
    video, queued = _split(clips, django_capture_on_commit_callbacks)
    original = chunked.PartUploader.sync
    calls = {"n": 0}

    def dies_midway(self, *, done=False):
        original(self, done=done)
        if self.part.index == 1 and self.part.kind == "video" and self.published["720p"]:
            calls["n"] += 1
            raise SystemExit("worker lost")  # what the part sees of a killed worker

    monkeypatch.setattr(chunked.PartUploader, "sync", dies_midway)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        for job in queued:
            job()
    part = TranscodePart.objects.get(video=video, kind="video", index=1)
    assert not part.done and part.attempts == 1 and part.streams["720p"]["segments"]
    monkeypatch.setattr(chunked.PartUploader, "sync", original)

    with django_capture_on_commit_callbacks(execute=True):
        for job in queued:
            job()
    video.refresh_from_db()
    assert video.state == Video.State.READY, video.reason
    part.refresh_from_db()
    assert part.done and part.attempts == 2
    playlist = storages["videos"].open(f"{video.storage_prefix}/720p/index.m3u8").read().decode()
    names = [n for n, _s in media_playlist_parse(playlist).segments]
    assert len(names) == len(set(names))
    assert sum(s for _n, s in media_playlist_parse(playlist).segments) == pytest.approx(40, abs=0.5)


@pytest.mark.slow
def test_a_chunk_that_cannot_be_encoded_fails_the_video_once_with_the_reason(
    clips, django_capture_on_commit_callbacks
):
    video, queued = _split(clips, django_capture_on_commit_callbacks)
    storage = storages["videos"]
    broken = TranscodePart.objects.get(video=video, kind="video", index=1)
    storage.save(broken.source_key, ContentFile(b"\x1a\x45\xdf\xa3" + b"\x00" * 4096))
    with django_capture_on_commit_callbacks(execute=True):
        for job in queued:
            job()
    video.refresh_from_db()
    assert video.state == Video.State.FAILED
    assert video.reason_code == "transcode_error"
    assert str(video.reason).startswith("Het transcoderen stopte met een fout")
    # Parts still queued after the failure did no work; the chunks are cleaned up.
    assert not TranscodePart.objects.get(video=video, kind="video", index=2).done
    assert not storage.exists(broken.source_key)


def test_a_source_with_a_single_keyframe_is_encoded_in_one_go(tmp_path):
    source = tmp_path / "one-keyframe.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10",
         "-t", "25", "-c:v", "libx264", "-preset", "ultrafast", "-g", "1000", str(source)],
        check=True,
    )  # fmt: skip
    video = video_process(video=video_with_source(data=source.read_bytes()))
    assert video.state == Video.State.READY, (video.reason, video.error_detail)
    assert not TranscodePart.objects.filter(video=video).exists()


def test_the_chunk_list_is_read_in_order(tmp_path):
    listing = tmp_path / "chunks.csv"
    listing.write_text("/x/chunk_0000.mkv,0.000000,16.667000\nchunk_0001.mkv,16.667000,40.0\n")
    assert cutting.chunk_list_read(listing) == [
        ("chunk_0000.mkv", 0.0, 16.667),
        ("chunk_0001.mkv", 16.667, 40.0),
    ]
    assert json.dumps(cutting.chunk_list_read(listing))


def _a_viewer_fetches_every_stitched_segment_through_signed_urls(video, client):
    import requests

    from playback.delivery import master_url
    from tests.factories import UserFactory

    viewer = UserFactory()
    client.force_login(viewer)
    master = client.get(master_url(video=video, user=viewer))
    media_uri = next(line for line in master.text.splitlines() if line.endswith("index.m3u8"))
    media = client.get(media_uri)
    assert media.status_code == 200
    uris = [line for line in media.text.splitlines() if line and not line.startswith("#")]
    assert len(uris) == media.text.count("#EXTINF")
    for uri in (uris[0], uris[-1]):  # one from the first part, one from the last
        if settings.AWS_STORAGE_BUCKET_NAME:
            response = requests.get(uri, timeout=10)
            assert response.status_code == 200 and len(response.content) > 1000
        else:
            response = client.get(uri)
            assert response.status_code == 200
            assert len(b"".join(response.streaming_content)) > 1000


def test_a_part_with_another_initialization_section_gets_its_own_map_and_a_gap_ends_the_list():
    from playback.services.hls import media_playlist_render

    def part(index, sha, done=True, segments=2):
        entry = {
            "init": "init.mp4",
            "init_sha": sha,
            "codecs": "avc1.64001f",
            "segments": [[f"seg_{n:05d}.m4s", 6.0, 1000] for n in range(segments)],
        }
        return TranscodePart(kind="video", index=index, done=done, streams={"720p": entry})

    parts = [part(0, "a"), part(1, "a"), part(2, "b"), part(3, "b", done=False), part(4, "b")]
    stitched = stitching.stream_stitch("720p", parts)
    assert stitched.init == "part_0000/init.mp4"
    assert stitched.init_changes == {4: "part_0002/init.mp4"}
    # Part 3 is still encoding: its published segments count, part 4's not yet.
    assert len(stitched.segments) == 8 and stitched.segments[-1][0] == "part_0003/seg_00001.m4s"
    text = media_playlist_render(
        init=stitched.init,
        segments=[(n, s) for n, s, _b in stitched.segments],
        final=False,
        target_duration=6,
        init_changes=stitched.init_changes,
    )
    lines = text.splitlines()
    assert lines.count('#EXT-X-MAP:URI="part_0002/init.mp4"') == 1
    assert (
        lines.index('#EXT-X-MAP:URI="part_0002/init.mp4"')
        == lines.index("part_0002/seg_00000.m4s") - 2
    )


@pytest.mark.slow
def test_a_phone_video_filmed_sideways_at_a_varying_rate_is_shown_as_filmed_in_parts(
    filmed, django_capture_on_commit_callbacks, tmp_path
):
    """The chunks keep no rotation (Matroska has none): the parts turn the picture from the
    upload's probe, and encode it at the rate decided from it."""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        video = video_process(video=video_with_source(data=filmed["sideways_long"].read_bytes()))
    parts = list(TranscodePart.objects.filter(video=video, kind="video").order_by("index"))
    assert len(parts) == 2
    video, local = _encoded_in_parts(video, queued, django_capture_on_commit_callbacks, tmp_path)

    variants = _master_variants((local / "master.m3u8").read_text())
    assert sorted(v["attributes"]["RESOLUTION"] for v in variants) == ["360x640", "540x960"]
    assert {v["attributes"]["FRAME-RATE"] for v in variants} == {"30.000"}
    times, keyframes = frame_times(local / "540p" / "index.m3u8")
    assert gaps(times) <= {0.033, 0.034}  # steady, and no frame twice or missing at the seam
    assert len(times) == 718  # the source's 23.93 s of picture
    # Each part keys every two seconds (sixty frames) from its own start.
    starts = [p.start + chunked.TIMELINE_OFFSET for p in parts]
    for start, end in zip(starts, [*starts[1:], float("inf")], strict=True):
        own = [k for k in keyframes if start - 0.01 <= k < end - 0.01]
        assert own[0] == pytest.approx(start, abs=0.01) and gaps(own) == {2.0}
    joined = rung_join(local / "540p", tmp_path / "540p.mp4")
    stream = _probe_json(
        "-select_streams", "v:0", "-show_entries", "stream=width,height,sample_aspect_ratio",
        str(joined),
    )["streams"][0]  # fmt: skip
    assert (stream["width"], stream["height"], stream["sample_aspect_ratio"]) == (540, 960, "1:1")
    assert picture_similarity(joined, filmed["upright_long"]) > 30
    assert (video.poster.width, video.poster.height) == (540, 960)
    # The first part ends 0.33 s after its last keyframe: that GOP joins the segment before.
    for stream in ("360p", "540p", "audio"):
        playlist = media_playlist_parse((local / stream / "index.m3u8").read_text())
        assert min(seconds for _name, seconds in playlist.segments) >= SLIVER_SECONDS
    for variant in variants:
        attributes = variant["attributes"]
        assert int(attributes["BANDWIDTH"]) <= 2 * int(attributes["AVERAGE-BANDWIDTH"])
    # The second part's first segment spans three keyframes: its fragments are all there.
    entries = iframes_check(local / "540p", tmp_path)
    iframes_follow_keyframes(entries, keyframes, seconds=len(times) / 30)
