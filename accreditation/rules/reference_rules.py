"""Register requirements and BIG work-hour norms as data (sources: shared domain facts,
accreditation.md, sections 2 and 3).

Staff edit these rows in the Wagtail admin; this list only seeds the ones that are missing.
Where the facts give no date, versions start on 1 January 2020 and say so in their note, so staff
can set the real date.
"""

from datetime import date
from decimal import Decimal

UNKNOWN_START = date(2020, 1, 1)
UNKNOWN_START_NOTE = "Ingangsdatum niet gevonden; 1-1-2020 is een aanname."

# register slug, total, years, per year, valid from, valid until, source, note,
# [(label, kind, amount, unit, [category slugs])]
REQUIREMENTS = [
    (
        "rgs",
        200,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.demedischspecialist.nl/",
        "Daarnaast ten minste 16 uur per week praktijk, individueel functioneren en externe "
        "kwaliteitsvisitatie. " + UNKNOWN_START_NOTE,
        [],
    ),
    (
        "rgs",
        134,
        5,
        None,
        UNKNOWN_START,
        date(2026, 12, 31),
        "https://www.knmg.nl/opleiding-herregistratie-carriere/rgs",
        "Tijdelijke coronaregeling: tot 66 uur minder voor registraties die uiterlijk "
        "31-12-2026 verlopen; de werkelijke korting hangt af van de persoon. " + UNKNOWN_START_NOTE,
        [],
    ),
    (
        "rgs-huisarts",
        200,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.nhg.org/",
        "Daarnaast ten minste 16 uur per week en 250 uur ANW-diensten. " + UNKNOWN_START_NOTE,
        [("intercollegiale toetsing", "min", 10, "points", ["intercollegiale-toetsing"])],
    ),
    (
        "venvn",
        184,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://kwaliteitsregister.venvn.nl/",
        "Verzorgenden: ten minste 60 geaccrediteerd. " + UNKNOWN_START_NOTE,
        [("geaccrediteerd", "min", 80, "points", ["geaccrediteerd"])],
    ),
    (
        "venvn",
        147,
        5,
        None,
        UNKNOWN_START,
        date(2027, 6, 30),
        "https://kwaliteitsregister.venvn.nl/",
        "Tijdelijke coronaregeling voor periodes die vóór 1-7-2027 eindigen. " + UNKNOWN_START_NOTE,
        [("geaccrediteerd", "min", 64, "points", ["geaccrediteerd"])],
    ),
    (
        "krt",
        120,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.tandartsregister.nl/",
        UNKNOWN_START_NOTE,
        [
            ("vakinhoudelijk", "min", 40, "percent", ["vakinhoudelijk"]),
            ("algemeen", "min", 10, "percent", ["algemeen"]),
            ("reflectie", "min", 10, "percent", ["reflectie"]),
        ],
    ),
    (
        "knmp-src-of",
        200,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.knmp.nl/",
        "Daarnaast ten minste 16 uur per week praktijk. " + UNKNOWN_START_NOTE,
        [("e-learning", "max", 50, "percent", ["e-learning"])],
    ),
    (
        "napa",
        200,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.napa.nl/",
        "Daarnaast 4.160 uur werk. " + UNKNOWN_START_NOTE,
        [("online, niet live", "max", 100, "points", ["e-learning"])],
    ),
    (
        "knov",
        200,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.kwaliteitsregisterverloskundigen.nl/",
        "Categorieën A tot en met D; minima per categorie niet gevonden. Ten minste 10 uur per "
        "week praktijk. " + UNKNOWN_START_NOTE,
        [],
    ),
    (
        "nvda-kabiz",
        100,
        5,
        None,
        UNKNOWN_START,
        None,
        "https://www.nvda.nl/",
        "Daarnaast ten minste 2.400 uur patiëntgebonden werk. " + UNKNOWN_START_NOTE,
        [],
    ),
]

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


def requirements_load(register_model, requirement_model, rule_model, category_model) -> None:
    """Create the seeded requirement versions that are missing; edited rows stay as they are."""
    registers = {register.slug: register for register in register_model.objects.all()}
    categories = {category.slug: category for category in category_model.objects.all()}
    for slug, total, years, per_year, valid_from, valid_until, source, note, rules in REQUIREMENTS:
        if slug not in registers:
            continue
        requirement, created = requirement_model.objects.get_or_create(
            register=registers[slug],
            valid_from=valid_from,
            valid_until=valid_until,
            defaults={
                "total_points": Decimal(total),
                "period_years": years,
                "points_per_year": per_year,
                "source_url": source,
                "note": note,
            },
        )
        if not created:
            continue
        for position, (label, kind, amount, unit, category_slugs) in enumerate(rules):
            rule = rule_model.objects.create(
                requirement=requirement,
                label=label,
                kind=kind,
                amount=Decimal(amount),
                unit=unit,
                sort_order=position,
            )
            rule.categories.set([categories[c] for c in category_slugs if c in categories])
            rule.categories.commit()


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
