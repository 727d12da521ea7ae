"""Register requirements and BIG work-hour norms as data (sources: shared domain facts,
accreditation.md, sections 2 and 3).

Staff edit these rows in the Wagtail admin; this list only seeds the ones that are missing.
Where the facts give no date, versions start on 1 January 2020 and say so in their note, so staff
can set the real date.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

UNKNOWN_START = date(2020, 1, 1)
UNKNOWN_START_NOTE = "Ingangsdatum niet gevonden; 1-1-2020 is een aanname."
RGS_COVID_NOTE = (
    "Tijdelijke coronaregeling: tot 66 uur minder voor registraties die uiterlijk 31-12-2026 "
    "verlopen; de korting hangt af van de persoon en staat in het besluit van de RGS. "
    + UNKNOWN_START_NOTE
)


class RuleSeed(NamedTuple):
    label: str
    kind: str  # "min" or "max"
    amount: int
    unit: str  # "points" or "percent"
    categories: tuple[str, ...]
    profession: str | None = None  # slug; None for every profession in the register


class RequirementSeed(NamedTuple):
    register: str
    total: int
    source: str
    note: str
    rules: tuple[RuleSeed, ...] = ()
    years: int = 5
    per_year: int | None = None
    reduction_max: int | None = None
    valid_from: date = UNKNOWN_START
    valid_until: date | None = None


# Every register with a known requirement in accreditation.md, section 3 (and its COVID
# arrangements). Fysiotherapie has none: its current norm was not found, so staff set it.
REQUIREMENTS = [
    RequirementSeed(
        "rgs",
        200,
        "https://www.demedischspecialist.nl/",
        "Daarnaast ten minste 16 uur per week praktijk, individueel functioneren en externe "
        "kwaliteitsvisitatie. " + UNKNOWN_START_NOTE,
    ),
    # The RGS arrangement is personal: up to 66 hours less, as the register decided for each
    # specialist, for registrations that expire on or before 31-12-2026.
    RequirementSeed(
        "rgs",
        200,
        "https://www.knmg.nl/opleiding-herregistratie-carriere/rgs",
        RGS_COVID_NOTE,
        reduction_max=66,
        valid_until=date(2026, 12, 31),
    ),
    RequirementSeed(
        "rgs-huisarts",
        200,
        "https://www.nhg.org/",
        "Daarnaast ten minste 16 uur per week en 250 uur ANW-diensten. " + UNKNOWN_START_NOTE,
        (RuleSeed("intercollegiale toetsing", "min", 10, "points", ("intercollegiale-toetsing",)),),
    ),
    RequirementSeed(
        "rgs-ouderengeneeskunde",
        200,
        "https://www.verenso.nl/",
        "40 uur geaccrediteerde nascholing per jaar (200 uur in vijf jaar). " + UNKNOWN_START_NOTE,
        per_year=40,
    ),
    RequirementSeed(
        "venvn",
        184,
        "https://kwaliteitsregister.venvn.nl/",
        "Ten minste 80 punten geaccrediteerd, voor verzorgenden ten minste 60; de rest andere "
        "deskundigheidsbevordering. " + UNKNOWN_START_NOTE,
        (
            RuleSeed("geaccrediteerd", "min", 80, "points", ("geaccrediteerd",)),
            RuleSeed("geaccrediteerd", "min", 60, "points", ("geaccrediteerd",), "verzorgende-ig"),
        ),
    ),
    RequirementSeed(
        "venvn",
        147,
        "https://kwaliteitsregister.venvn.nl/",
        "Tijdelijke coronaregeling voor periodes die vóór 1-7-2027 eindigen. " + UNKNOWN_START_NOTE,
        (RuleSeed("geaccrediteerd", "min", 64, "points", ("geaccrediteerd",)),),
        valid_until=date(2027, 6, 30),
    ),
    RequirementSeed(
        "krt",
        120,
        "https://www.tandartsregister.nl/",
        UNKNOWN_START_NOTE,
        (
            RuleSeed("vakinhoudelijk", "min", 40, "percent", ("vakinhoudelijk",)),
            RuleSeed("algemeen", "min", 10, "percent", ("algemeen",)),
            RuleSeed("reflectie", "min", 10, "percent", ("reflectie",)),
        ),
    ),
    RequirementSeed(
        "knmp-src-of",
        200,
        "https://www.knmp.nl/",
        "Daarnaast ten minste 16 uur per week praktijk. " + UNKNOWN_START_NOTE,
        (RuleSeed("e-learning", "max", 50, "percent", ("e-learning",)),),
    ),
    RequirementSeed(
        "napa",
        200,
        "https://www.napa.nl/",
        "Daarnaast 4.160 uur werk. " + UNKNOWN_START_NOTE,
        (RuleSeed("online, niet live", "max", 100, "points", ("e-learning",)),),
    ),
    RequirementSeed(
        "knov",
        200,
        "https://www.kwaliteitsregisterverloskundigen.nl/",
        "Categorieën A tot en met D; minima per categorie niet gevonden. Ten minste 10 uur per "
        "week praktijk. " + UNKNOWN_START_NOTE,
    ),
    RequirementSeed(
        "nvda-kabiz",
        100,
        "https://www.nvda.nl/",
        "Daarnaast ten minste 2.400 uur patiëntgebonden werk. " + UNKNOWN_START_NOTE,
    ),
]

# The seeded rules' labels as learners who read the site in English see them (filled in by
# ``rule_labels_en_fill``, as the migrations that load the rules predate ``label_en``).
RULE_LABELS_EN = {
    "intercollegiale toetsing": "peer review",
    "geaccrediteerd": "accredited",
    "vakinhoudelijk": "subject-matter",
    "algemeen": "general",
    "reflectie": "reflection",
    "e-learning": "e-learning",
    "online, niet live": "online, not live",
}

BIG_SOURCE = "https://www.bigregister.nl/herregistratie"
# From 1-12-2022 hours may be spread over the period freely (two-year-interruption rule gone).
BIG_COUNTING_FROM = date(2022, 12, 1)

WORK_HOUR_NORMS = [
    # profession slug, hours, cycle years, note
    ("arts", 2080, 5, ""),
    ("tandarts", 2080, 5, ""),
    ("apotheker", 2080, 5, ""),
    ("verpleegkundige", 2080, 5, ""),
    ("verloskundige", 2080, 5, ""),
    ("fysiotherapeut", 2080, 5, ""),
    ("physician-assistant", 2080, 5, ""),
    ("klinisch-technoloog", 2080, 5, "Afgeleid (stb-2022-522); niet bevestigd."),
    ("gz-psycholoog", 3120, 5, ""),
    ("psychotherapeut", 3120, 5, ""),
    ("orthopedagoog-generalist", 3120, 5, ""),
]


def requirements_load(
    register_model, requirement_model, rule_model, category_model, profession_model
) -> None:
    """Create the seeded requirement versions that are missing; edited rows stay as they are."""
    registers = {register.slug: register for register in register_model.objects.all()}
    categories = {category.slug: category for category in category_model.objects.all()}
    professions = {profession.slug: profession for profession in profession_model.objects.all()}
    for seed in REQUIREMENTS:
        if seed.register not in registers:
            continue
        requirement, created = requirement_model.objects.get_or_create(
            register=registers[seed.register],
            profession=None,
            valid_from=seed.valid_from,
            valid_until=seed.valid_until,
            defaults={
                "total_points": Decimal(seed.total),
                "period_years": seed.years,
                "points_per_year": seed.per_year,
                "reduction_max": seed.reduction_max,
                "source_url": seed.source,
                "note": seed.note,
            },
        )
        if created:
            category_rules_load(rule_model, requirement, seed.rules, categories, professions)


def category_rules_load(rule_model, requirement, rules, categories, professions) -> None:
    for position, rule_seed in enumerate(rules):
        if rule_seed.profession and rule_seed.profession not in professions:
            continue
        rule = rule_model.objects.create(
            requirement=requirement,
            label=rule_seed.label,
            kind=rule_seed.kind,
            amount=Decimal(rule_seed.amount),
            unit=rule_seed.unit,
            profession=professions.get(rule_seed.profession),
            sort_order=position,
        )
        rule.categories.set([categories[c] for c in rule_seed.categories if c in categories])
        if hasattr(rule.categories, "commit"):
            rule.categories.commit()


def rule_labels_en_fill(rule_model) -> None:
    """Give the seeded rules their English labels where staff have not given one."""
    for label, label_en in RULE_LABELS_EN.items():
        rule_model.objects.filter(label=label, label_en="").update(label_en=label_en)


def work_hour_norms_load(profession_model, norm_model) -> None:
    professions = {p.slug: p for p in profession_model.objects.all()}
    for slug, hours, years, note in WORK_HOUR_NORMS:
        if slug not in professions:
            continue
        norm_model.objects.get_or_create(
            profession=professions[slug],
            valid_from=BIG_COUNTING_FROM,
            defaults={"hours": hours, "cycle_years": years, "source_url": BIG_SOURCE, "note": note},
        )
