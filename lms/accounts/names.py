"""Names as Dutch registers print them on attendance lists: initials (voorletters) taken from a
first name, or as the learner typed them."""

import re

# What separates one initial from the next when typed: "J.P.", "J P", "J-P".
_INITIAL_SEPARATORS = re.compile(r"[\s.\-]+")


def initials_from_first_name(first_name: str) -> str:
    """ "Jan-Pieter" gives "J.P.", "anna maria" gives "A.M."."""
    return "".join(f"{part[0].upper()}." for part in first_name.replace("-", " ").split())


def initials_stated(*, first_name: str, entered: str) -> str:
    """The initials the learner entered, else those of their first name."""
    return entered.strip() or initials_from_first_name(first_name)


def surname_with_prefix(*, surname_prefix: str, last_name: str) -> str:
    """The surname as written after the initials, tussenvoegsel first: "de Vries"."""
    return " ".join(part for part in (surname_prefix.strip(), last_name.strip()) if part)


def initials_normalise(typed: str) -> str:
    """Typed initials in the printed form: "jp", "J P" and "J.P" give "J.P.". Between dots,
    spaces or dashes a part stays as typed, so "Th.J." (Theodorus) and "IJ." keep two letters;
    without any separator every letter is an initial. Raises ValueError on other characters."""
    typed = typed.strip()
    if not typed:
        return ""
    parts = [part for part in _INITIAL_SEPARATORS.split(typed) if part]
    if not parts or not all(part.isalpha() for part in parts):
        raise ValueError(typed)
    if len(parts) == 1 and not _INITIAL_SEPARATORS.search(typed):
        parts = list(parts[0])
    return "".join(f"{part[0].upper()}{part[1:]}." for part in parts)
