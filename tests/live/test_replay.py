"""The replay (decision 17): when a stream ends, its recording becomes a published episode of
the course over the segments already stored (no transcode), playable through the on-demand
player at once; editors trim its start and end on the stream's admin page, a playlist rewrite
that keeps the whole recording to widen it again, and bad ranges get a clear Dutch message."""

from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from catalog.models import EpisodePage
from live.models import LiveStream
from live.registration import session_register
from live.streaming.encoders import stream_prefix, stream_replay_close
from live.streaming.keys import stream_key_issue
from live.streaming.replay import stream_replay, stream_replay_trim
from playback import api as playback_api
from playback.models import Video
from playback.services.live_playlists import LiveSegment, manifest_write
from tests.factories import learner_with_profile

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.django_db

MASTER = (
    "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
    '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",LANGUAGE="nl",DEFAULT=YES,'
    'AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"\n'
    "#EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=900000,"
    'CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio"\n'
    "360p/index.m3u8\n"
)


def _recording(stream: LiveStream, *, per_publish: int = 10) -> None:
    """What the live encoder leaves: two publishes (a reconnect) of 2-s segments, 40 s."""
    storage = storages["videos"]
    prefix = stream_prefix(stream)
    manifest = {}
    for rung in ("360p", "audio"):
        segments = []
        for publish in (1, 2):
            for n in range(per_publish):
                uri = f"p{publish}/seg_{n:05d}.m4s"
                storage.save(f"{prefix}/{rung}/{uri}", ContentFile(f"{rung}{uri}".encode()))
                at = (publish - 1) * per_publish * 2 + 2 * n
                segments.append(
                    LiveSegment(
                        uri=uri,
                        seconds=2.0,
                        date=f"2026-12-06T20:{at // 60:02d}:{at % 60:02d}.000+00:00",
                        init=f"p{publish}/init_0.mp4",
                        publish=publish,
                    )
                )
            storage.save(f"{prefix}/{rung}/p{publish}/init_0.mp4", ContentFile(b"init"))
        manifest[rung] = segments
    manifest_write(storage, prefix, manifest)
    storage.save(f"{prefix}/master.m3u8", ContentFile(MASTER.encode()))


@pytest.fixture
def ended():
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() - timedelta(hours=1)
    )
    stream = stream_key_issue(session=session).stream
    _recording(stream)
    LiveStream.objects.filter(pk=stream.pk).update(
        state=LiveStream.State.ENDED, ended_at=timezone.now()
    )
    return LiveStream.objects.select_related("session").get(pk=stream.pk)


def _playlist(stream: LiveStream, rung: str = "360p") -> str:
    return storages["videos"].open(f"{stream_prefix(stream)}/{rung}/index.m3u8").read().decode()


def test_the_recording_becomes_a_published_episode_of_the_course_without_a_transcode(ended, client):
    stream_replay_close(ended)
    stream_replay_close(ended)  # a repeat finds the same video and episode
    ended.refresh_from_db()
    assert ended.replay_ready_at is not None and ended.replay_episode_id

    episode = EpisodePage.objects.get(pk=ended.replay_episode_id)
    course = ended.session.course
    assert episode.live and episode.get_parent().pk == course.pk and not episode.required
    assert episode.title.startswith("Opname: Webinar antibioticaresistentie, ")
    assert EpisodePage.objects.child_of(course).count() == 1
    video = Video.objects.get(pk=ended.replay_video_id)
    assert video.state == Video.State.READY and video.is_playable and video.duration == 40
    assert video.recorded_folder == stream_prefix(ended) and not video.source
    assert Video.objects.count() == 1
    assert {(r.name, r.segment_count) for r in video.renditions.all()} == {
        ("360p", 20),
        ("audio", 20),
    }
    playlist = _playlist(ended)
    assert playlist.count("#EXTINF:") == 20 and playlist.endswith("#EXT-X-ENDLIST\n")

    # A learner plays it through the on-demand player: the segments come from the live folder.
    learner = learner_with_profile()
    client.force_login(learner)
    player = playback_api.player_for(
        user=learner,
        episode_id=episode.pk,
        course_id=course.pk,
        video_id=video.pk,
        free=True,
        chapters=[],
        next_episode=None,
    )
    assert player.ready and player.duration == 40
    master = client.get(player.master_url).content.decode()
    rung_url = next(line for line in master.splitlines() if "360p/index.m3u8" in line)
    rung = client.get(rung_url).content.decode()
    segment_url = next(line for line in rung.splitlines() if line and not line.startswith("#"))
    if settings.AWS_STORAGE_BUCKET_NAME:  # straight from the bucket, presigned
        body = requests.get(segment_url, timeout=10).content
    else:
        body = b"".join(client.get(segment_url).streaming_content)
    assert body == b"360pp1/seg_00000.m4s"

    # The watch page's replay links to the episode.
    before = ended.session.starts_at - timedelta(days=1)
    session_register(session_id=ended.session_id, user=learner, now=before)
    watch = client.get(reverse("live:watch", args=[ended.session_id])).content.decode()
    assert 'data-state="replay"' in watch and f'href="{episode.url}" data-replay-episode' in watch


def test_trimming_rewrites_the_playlists_over_the_same_segments_and_can_widen_again(ended):
    stream_replay_close(ended)
    ended.refresh_from_db()

    seconds = stream_replay_trim(stream_id=ended.pk, start=6, end=30)
    assert seconds == 24 and Video.objects.get(pk=ended.replay_video_id).duration == 24
    trimmed = _playlist(ended)
    assert trimmed.count("#EXTINF:") == 12 and "p1/seg_00003.m4s" in trimmed
    assert "p1/seg_00002.m4s" not in trimmed and "p2/seg_00005.m4s" not in trimmed
    # the seam stays a discontinuity with the second publish's init section after it
    assert trimmed.index('#EXT-X-MAP:URI="p1/init_0.mp4"') < trimmed.index("p1/seg_00003.m4s")
    seam = trimmed.index("#EXT-X-DISCONTINUITY\n")
    assert seam < trimmed.index('#EXT-X-MAP:URI="p2/init_0.mp4"') < trimmed.index("p2/seg_00000")
    assert _playlist(ended, "audio").count("#EXTINF:") == 12
    assert storages["videos"].exists(f"{stream_prefix(ended)}/360p/p1/seg_00000.m4s")

    assert stream_replay_trim(stream_id=ended.pk, start=0, end=40) == 40
    assert _playlist(ended).count("#EXTINF:") == 20

    ended.refresh_from_db()
    replay = stream_replay(ended)
    assert (replay.length, replay.trim_start, replay.trim_end) == (40, 0, 40)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0:30", "0:10", "Het einde moet na het begin liggen."),
        ("0:00", "1:00", "De opname duurt 0:40; het einde kan niet later liggen."),
        ("0:10", "0:15", "De terugkijkversie moet minstens 10 seconden duren."),
        ("abc", "0:20", "Vul een tijd in als minuten:seconden (12:34) of in seconden (754)."),
    ],
)
def test_the_editor_is_told_in_dutch_what_is_wrong_with_a_range(
    ended, client, django_user_model, start, end, message
):
    stream_replay_close(ended)
    client.force_login(django_user_model.objects.create_superuser("regie@example.nl", "x"))
    url = reverse("live_stream_key", args=[ended.session_id])
    page = client.post(url, {"action": "trim", "start": start, "end": end})
    assert page.status_code == 400 and message in page.content.decode()
    assert _playlist(ended).count("#EXTINF:") == 20  # untouched

    done = client.post(url, {"action": "trim", "start": "0:04", "end": "36"}, follow=True)
    assert "De terugkijkversie duurt nu 0:32." in done.content.decode()
    shown = client.get(url).content.decode()
    assert 'value="0:04"' in shown and "data-replay-preview" in shown


def test_a_stream_with_nothing_recorded_gets_no_episode(client):
    session = webinar_session_make(course=webinar_course())
    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(
        state=LiveStream.State.ENDED, ended_at=timezone.now()
    )
    stream_replay_close(LiveStream.objects.select_related("session").get(pk=stream.pk))
    stream.refresh_from_db()
    assert stream.replay_ready_at and stream.replay_episode_id is None
    assert not EpisodePage.objects.exists() and not Video.objects.exists()
