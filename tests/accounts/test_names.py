"""Initials as Dutch registers print them: from the first name, or as the learner typed them."""

import pytest

from lms.accounts.names import initials_from_first_name, initials_normalise, surname_with_prefix


@pytest.mark.parametrize(
    ("first_name", "initials"),
    [("Anna", "A."), ("anna maria", "A.M."), ("Jan-Pieter", "J.P."), ("", "")],
)
def test_initials_are_taken_from_the_first_name(first_name, initials):
    assert initials_from_first_name(first_name) == initials


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("", ""),
        ("  ", ""),
        ("jp", "J.P."),
        ("J P", "J.P."),
        ("J.P", "J.P."),
        ("j.p.", "J.P."),
        ("Th.J.M.", "Th.J.M."),
        ("IJ.", "IJ."),
        ("É.", "É."),
    ],
)
def test_typed_initials_are_written_as_registers_print_them(typed, printed):
    assert initials_normalise(typed) == printed


@pytest.mark.parametrize("typed", ["J.1.", "J/P", "=1+1", "..."])
def test_anything_but_letters_is_not_initials(typed):
    with pytest.raises(ValueError):
        initials_normalise(typed)


def test_the_surname_is_written_with_its_tussenvoegsel():
    assert surname_with_prefix(surname_prefix="van der", last_name="Berg") == "van der Berg"
    assert surname_with_prefix(surname_prefix="", last_name="Berg") == "Berg"
