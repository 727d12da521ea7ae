"""The presence rules seeded with the app, from the registers' own words
(accreditation.md, "Live online activities: proving presence"). Staff add or change rules
in the admin; these are only ever created, never overwritten."""

FGZPT_SOURCE = "https://www.fgzpt.nl/de-fgzpt/actueel/242/controle-aanwezigheid-webinars"
KOH_SOURCE = (
    "https://stichtingkoh.nl/accreditatie/accreditatie-aanvragen/"
    "voorwaarden-presentielijst-accreditatie"
)

ROOM_RULE = "Zaal: presentielijst"
CAMERA_RULE = "Online tot 12 deelnemers: camera's aan"
CHECKS_RULE = "Online: aanwezigheidscontroles"

# name, method, present at least (% of the planned time), checks answered at least (% of
# those held), at most participants, checks per 1.5 hours, seconds to answer, source, note
PRESENCE_RULES = [
    (
        ROOM_RULE,
        "room",
        90,
        0,
        None,
        0,
        120,
        KOH_SOURCE,
        "De aanbieder tekent de aanwezigheid af op de presentielijst, met wie te laat kwam of "
        "eerder wegging. Registers nemen alleen volledig aanwezigen op; 90 % laat ruimte voor "
        "een korte vertraging.",
    ),
    (
        CAMERA_RULE,
        "camera",
        90,
        0,
        12,
        0,
        120,
        FGZPT_SOURCE,
        "FGzPT (december 2022, art. 3.5 accreditatiereglement): tot 12 deelnemers met de camera "
        "aan is aanwezigheid zonder meer aangetoond. De moderator bevestigt wie in beeld was.",
    ),
    (
        CHECKS_RULE,
        "checks",
        90,
        66,
        None,
        3,
        120,
        FGZPT_SOURCE,
        "FGzPT: boven 12 deelnemers een pop-up of de deelnemer nog live kijkt, of 2 à 3 "
        "pollvragen per 1,5 uur die niet goed of fout zijn. Van begin tot eind aanwezig: 90 % "
        "van de geplande tijd en 2 van de 3 controles beantwoord.",
    ),
]


def presence_rules_load(PresenceRule) -> None:
    for name, method, presence, checks, most, per_90, seconds, source, note in PRESENCE_RULES:
        PresenceRule.objects.get_or_create(
            name=name,
            defaults={
                "method": method,
                "min_presence_percent": presence,
                "min_checks_percent": checks,
                "max_participants": most,
                "checks_per_90_minutes": per_90,
                "check_seconds": seconds,
                "source_url": source,
                "note": note,
            },
        )
