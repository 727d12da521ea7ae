import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from playback.captions import captions_to_webvtt
from playback.models import Caption

from .conftest import video_with_source

SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\nLeg de handen midden op de borst.\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\nDruk 5 tot 6 centimeter diep.\r\n"
)


def test_srt_becomes_webvtt():
    text = captions_to_webvtt(SRT.encode())
    assert text.startswith("WEBVTT\n\n")
    assert "00:00:01.000 --> 00:00:03.500" in text
    assert "Druk 5 tot 6 centimeter diep." in text
    assert "\r" not in text


def test_webvtt_is_kept_as_it_is():
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nHallo\n"
    assert captions_to_webvtt(vtt.encode()) == vtt


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hallo zonder tijden", "Dit bestand bevat geen ondertitels met tijden"),
        ("1\n00:00:01,000 --> 00:00:02,000\nçà".encode("latin-1"), "Sla het ondertitelbestand op"),
        (
            b"WEBVTT\n\n00:01.000 --> 00:02.000\n<script>alert(1)</script>\n",
            "Ondertitelbestanden mogen geen scripts bevatten.",
        ),
        (b"x" * (2 * 1024 * 1024 + 1), "Een ondertitelbestand mag hoogstens 2 MB zijn."),
    ],
    ids=["no-cues", "not-utf8", "script", "too-large"],
)
def test_bad_caption_files_are_refused_in_dutch(data, message):
    with pytest.raises(ValidationError) as error:
        captions_to_webvtt(data)
    assert message in error.value.messages[0]


@pytest.mark.django_db
def test_an_uploaded_srt_is_stored_as_webvtt_per_language():
    video = video_with_source(data=b"x")
    caption = Caption(video=video, language="nl", file=SimpleUploadedFile("nl.srt", SRT.encode()))
    caption.full_clean()
    caption.save()
    with caption.file.open("rb") as handle:
        assert handle.read().decode().startswith("WEBVTT")
    assert caption.file.name.endswith("/captions/nl.vtt")
    bad = Caption(video=video, language="en", file=SimpleUploadedFile("en.srt", b"geen tijden"))
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "file" in error.value.message_dict
