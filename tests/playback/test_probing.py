"""What the probe of an upload tells the transcoder: the picture as it is shown."""

from fractions import Fraction

import pytest

from playback.services.probing import (
    output_frame_rate,
    source_rotation,
    source_validate,
    stream_rotation,
)


def _probe(**video) -> dict:
    stream = {
        "codec_type": "video",
        "codec_name": "h264",
        "width": 1920,
        "height": 1080,
        "avg_frame_rate": "30/1",
        "r_frame_rate": "30/1",
        **video,
    }
    return {"format": {"duration": "12.0"}, "streams": [stream]}


@pytest.mark.parametrize(
    ("video", "rotation"),
    [
        ({}, 0),
        # ffprobe's display-matrix angle turns counter-clockwise; a phone held upright: -90.
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}, 90),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": 90}]}, 270),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": 180}]}, 180),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": -89.9}]}, 90),
        # The legacy tag turns clockwise, and counts only without a display matrix.
        ({"tags": {"rotate": "90"}}, 90),
        ({"tags": {"rotate": "270"}}, 270),
        ({"tags": {"rotate": "-90"}}, 270),
        ({"tags": {"rotate": "sideways"}}, 0),
        (
            {
                "tags": {"rotate": "90"},
                "side_data_list": [{"side_data_type": "Display Matrix", "rotation": 0}],
            },
            0,
        ),
    ],
)
def test_the_rotation_a_player_applies_is_read_from_the_display_matrix_or_the_legacy_tag(
    video, rotation
):
    stream = _probe(**video)["streams"][0]
    assert stream_rotation(stream) == rotation
    assert source_rotation(_probe(**video)) == rotation


def test_a_sideways_source_is_planned_as_shown_upright():
    facts = source_validate(
        _probe(side_data_list=[{"side_data_type": "Display Matrix", "rotation": -90}])
    )
    assert (facts.width, facts.height, facts.rotation) == (1080, 1920, 90)


def test_non_square_pixels_are_planned_at_the_width_they_are_shown():
    facts = source_validate(_probe(width=1440, height=1080, sample_aspect_ratio="4:3"))
    assert (facts.width, facts.height) == (1920, 1080)
    anamorphic_portrait = source_validate(
        _probe(
            width=720,
            height=576,
            sample_aspect_ratio="64:45",
            side_data_list=[{"side_data_type": "Display Matrix", "rotation": 90}],
        )
    )
    assert (anamorphic_portrait.width, anamorphic_portrait.height) == (576, 1024)


def test_a_probe_without_a_picture_has_no_rotation():
    assert source_rotation(None) == 0
    assert source_rotation({"streams": [{"codec_type": "audio"}]}) == 0


@pytest.mark.parametrize(
    ("average", "nominal", "encoded"),
    [
        ("30/1", "30/1", Fraction(30)),
        ("25/1", "25/1", Fraction(25)),
        ("30000/1001", "30000/1001", Fraction(30000, 1001)),
        ("2997/100", "30000/1001", Fraction(30000, 1001)),  # rounded in the container
        ("50/1", "50/1", Fraction(50)),
        # A phone in low light: 20.056 a second on average, filmed at 30.
        ("7200/359", "30/1", Fraction(30)),
        # The nominal rate is a time base: the average, up to a whole rate (no frame dropped).
        ("7200/359", "90000/1", Fraction(24)),
        ("0/0", "1000/1", Fraction(25)),
        ("0/0", "0/0", Fraction(25)),
        ("8/1", "8/1", Fraction(12)),
        ("1499/100", "15/1", Fraction(15)),
        ("59/1", "600/1", Fraction(60)),
    ],
)
def test_the_output_frame_rate_is_decided_once_from_the_source(average, nominal, encoded):
    stream = {"avg_frame_rate": average, "r_frame_rate": nominal}
    assert output_frame_rate(stream, maximum=60) == encoded


def test_the_output_frame_rate_is_capped():
    assert output_frame_rate({"avg_frame_rate": "50/1", "r_frame_rate": "50/1"}, maximum=30) == 30
    facts = source_validate(_probe(avg_frame_rate="7200/359", r_frame_rate="30/1"))
    assert facts.frame_rate == 30.0
