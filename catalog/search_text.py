"""How learners' search words are read and compared, the same on every database.

Text and queries are folded (lower case, accents removed: "Patiënten" and "patienten" are one
word) and Dutch endings are trimmed from query words, so a word matches its forms: "palliatief"
finds "Palliatieve zorg", "ouderen" finds "ouder". The web-search syntax people know — quotes
for a phrase, ``or`` between alternatives, ``-word`` to leave a word out — is read here once."""

import re
import unicodedata
from dataclasses import dataclass

# PostgreSQL's text search configuration for learners: Dutch stemming after unaccent (migration
# 0009). Editors' admin search keeps settings.CATALOG_SEARCH_CONFIG.
SEARCH_CONFIG = "dutch_unaccent"
QUERY_MAX_TERMS = 12
# Words this long or longer are trimmed to a stem and kept in the vocabulary for suggestions.
STEM_MIN_LENGTH = 4
WORD_MAX_LENGTH = 40

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Dutch inflection endings, longest first; after one is trimmed a doubled consonant is undoubled
# ("bedden" → "bed") and a final f/v or s/z dropped, as Dutch spelling alternates them
# ("palliatief" / "palliatieve", "huis" / "huizen").
_ENDINGS = ("en", "e", "s")
_ALTERNATING = "fvsz"
_VOWELS = "aeiouy"


def text_fold(text: str) -> str:
    """Lower case without accents, words separated by one space and a space at either end,
    so " word" finds words starting with "word"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " " + " ".join(_WORD.findall(plain)) + " "


def words_fold(text: str) -> list[str]:
    return text_fold(text).split()


def word_stem(word: str) -> str:
    """A folded word trimmed to what its Dutch forms share: "patienten" → "patient",
    "palliatieve" → "palliatie". Short words are left whole."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM_MIN_LENGTH:
            word = word[: -len(ending)]
            if word[-1] == word[-2] and word[-1] not in _VOWELS:
                word = word[:-1]
            break
    if len(word) > STEM_MIN_LENGTH and word[-1] in _ALTERNATING:
        word = word[:-1]
    return word


def is_vocabulary_word(word: str) -> bool:
    """Words worth suggesting as a correction: long enough to misspell, no digits."""
    return STEM_MIN_LENGTH <= len(word) <= WORD_MAX_LENGTH and word.isalpha()


@dataclass(frozen=True)
class Term:
    """One word, or the words of a quoted phrase, folded; ``excluded`` for "-word"."""

    words: tuple[str, ...]
    excluded: bool = False

    @property
    def is_word(self) -> bool:
        return len(self.words) == 1

    def found_in(self, folded: str) -> bool:
        """Whether folded text (``text_fold``) holds this term: a word by its stem anywhere,
        inside compounds too; a phrase as whole words."""
        return self.pattern in folded

    @property
    def pattern(self) -> str:
        if self.is_word:
            return word_stem(self.words[0])
        return " " + " ".join(self.words) + " "


@dataclass(frozen=True)
class ParsedQuery:
    """A search as groups that must all be met, each met by any one of its terms:
    ``[[a], [b, c]]`` is a and (b or c)."""

    groups: tuple[tuple[Term, ...], ...]

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def found_in(self, text: str) -> bool:
        """Whether plain text meets the search (for short texts such as episode titles)."""
        folded = text_fold(text)
        return bool(self.groups) and all(
            any(term.found_in(folded) != term.excluded for term in group) for group in self.groups
        )


def query_parse(query: str) -> ParsedQuery:
    groups: list[list[Term]] = []
    either = False
    count = 0
    for match in _TOKEN.finditer(query):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.casefold() == "or":
            either = bool(groups)
            continue
        excluded = bool(minus) or (bare is not None and bare.startswith("-"))
        words = tuple(words_fold(phrase if phrase is not None else bare))
        if not words or count == QUERY_MAX_TERMS:
            either = False
            continue
        term = Term(words, excluded)
        count += 1
        if either and not excluded and not groups[-1][0].excluded:
            groups[-1].append(term)
        else:
            groups.append([term])
        either = False
    return ParsedQuery(tuple(tuple(group) for group in groups))
