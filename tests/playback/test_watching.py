"""The arithmetic of watched time."""

import pytest

from playback.watching import ranges_clamp, ranges_credit, ranges_merge, ranges_total


def test_ranges_merge_joins_overlapping_and_touching_ranges():
    assert ranges_merge([(10, 20), (0, 5), (5, 8), (15, 30), (40, 40)]) == [(0, 8), (10, 30)]
    assert ranges_total([(0, 10), (5, 15)]) == 15


def test_ranges_are_clamped_to_the_video():
    assert ranges_clamp([(-5, 3), (590, 700), (800, 900)], 600) == [(0, 3), (590, 600)]


@pytest.mark.parametrize(
    ("watched", "played", "allowance", "union", "added"),
    [
        ([], [(0, 10)], 20, [(0, 10)], 10),
        ([(0, 10)], [(0, 10)], 20, [(0, 10)], 0),  # a replay adds nothing
        ([(0, 10)], [(5, 30)], 20, [(0, 30)], 20),
        ([(0, 10)], [(5, 60)], 8, [(0, 18)], 8),  # more than the allowance: cut
        ([(10, 20)], [(0, 30)], 100, [(0, 30)], 20),
        ([(10, 20)], [(0, 30)], 15, [(0, 20), (20, 25)], 15),
    ],
)
def test_credit_adds_only_new_seconds_within_the_allowance(
    watched, played, allowance, union, added
):
    got_union, got_added = ranges_credit(watched, played, allowance=allowance)
    assert ranges_merge(got_union) == ranges_merge(union)
    assert got_added == pytest.approx(added)
