"""Registers Leerstroom knows, as data (sources: shared domain facts, accreditation.md).

Staff edit these rows in the Wagtail admin; this list only seeds the ones that are missing.
"""

REGISTERS = [
    # slug, short name, full name, website, number label, kind, professions it serves
    (
        "big",
        "BIG-register",
        "BIG-register (herregistratie op werkervaring)",
        "https://www.bigregister.nl/",
        "BIG-nummer",
        "work_hours",
        [
            "arts",
            "tandarts",
            "apotheker",
            "verpleegkundige",
            "verloskundige",
            "fysiotherapeut",
            "gz-psycholoog",
            "psychotherapeut",
            "physician-assistant",
            "orthopedagoog-generalist",
            "klinisch-technoloog",
        ],
    ),
    (
        "rgs",
        "RGS",
        "Registratiecommissie Geneeskundig Specialisten (medisch specialisten)",
        "https://www.knmg.nl/opleiding-herregistratie-carriere/rgs",
        "BIG-nummer",
        "points",
        ["arts"],
    ),
    (
        "rgs-huisarts",
        "RGS huisartsen",
        "RGS-register huisartsen",
        "https://www.knmg.nl/opleiding-herregistratie-carriere/rgs",
        "BIG-nummer",
        "points",
        ["arts"],
    ),
    (
        "rgs-ouderengeneeskunde",
        "RGS specialisten ouderengeneeskunde",
        "RGS-register specialisten ouderengeneeskunde",
        "https://www.verenso.nl/",
        "BIG-nummer",
        "points",
        ["arts"],
    ),
    (
        "venvn",
        "V&VN Kwaliteitsregister",
        "V&VN Kwaliteitsregister Verpleegkundigen & Verzorgenden",
        "https://kwaliteitsregister.venvn.nl/",
        "Registratienummer",
        "points",
        ["verpleegkundige", "verzorgende-ig", "praktijkondersteuner"],
    ),
    (
        "krt",
        "KRT",
        "Kwaliteitsregister Tandartsen",
        "https://www.tandartsregister.nl/",
        "KRT-nummer",
        "points",
        ["tandarts"],
    ),
    (
        "knmp-src-of",
        "KNMP SRC-OF",
        "KNMP Specialisten Registratie Commissie openbaar apothekers",
        "https://www.knmp.nl/",
        "BIG-nummer",
        "points",
        ["apotheker"],
    ),
    (
        "napa",
        "NAPA",
        "Kwaliteitsregister Physician Assistants (NAPA)",
        "https://www.napa.nl/",
        "NAPA-nummer",
        "points",
        ["physician-assistant"],
    ),
    (
        "knov",
        "KNOV",
        "Kwaliteitsregister Verloskundigen",
        "https://www.kwaliteitsregisterverloskundigen.nl/",
        "Registratienummer",
        "points",
        ["verloskundige"],
    ),
    (
        "nvda-kabiz",
        "NVDA (KABIZ)",
        "Kwaliteitsregister Doktersassistenten (NVDA, uitgevoerd door KABIZ)",
        "https://www.nvda.nl/",
        "KABIZ-nummer",
        "points",
        ["doktersassistent"],
    ),
    (
        "fysiotherapie",
        "Register Fysiotherapie",
        "Kwaliteitsregister Fysiotherapie (KNGF/SKF)",
        "https://www.kngf.nl/",
        "Registratienummer",
        "points",
        ["fysiotherapeut"],
    ),
]


# What learners who read the site in English see (slug: short name, name); proper names such as
# RGS, KRT and KNOV stay as the registers write them. Filled in apart from ``REGISTERS`` by
# ``register_names_en_fill``, as the migrations that load ``REGISTERS`` predate these fields.
REGISTER_NAMES_EN = {
    "big": ("BIG register", "BIG register (re-registration based on work experience)"),
    "rgs": ("RGS", "Medical Specialists Registration Committee (RGS, medical specialists)"),
    "rgs-huisarts": ("RGS general practitioners", "RGS register of general practitioners"),
    "rgs-ouderengeneeskunde": (
        "RGS elderly care physicians",
        "RGS register of elderly care physicians",
    ),
    "venvn": ("V&VN Quality Register", "V&VN Quality Register for Nurses & Carers"),
    "krt": ("KRT", "Quality Register for Dentists (KRT)"),
    "knmp-src-of": (
        "KNMP SRC-OF",
        "KNMP Specialists Registration Committee for community pharmacists",
    ),
    "napa": ("NAPA", "Quality Register for Physician Assistants (NAPA)"),
    "knov": ("KNOV", "Quality Register for Midwives"),
    "nvda-kabiz": ("NVDA (KABIZ)", "Quality Register for Doctor's Assistants (NVDA, run by KABIZ)"),
    "fysiotherapie": ("Physiotherapy Register", "Quality Register for Physiotherapy (KNGF/SKF)"),
}


def registers_load(register_model, profession_model) -> None:
    """Create the seeded registers that are missing; rows staff edited stay as they are."""
    for position, (slug, short_name, name, website, number_label, kind, professions) in enumerate(
        REGISTERS
    ):
        register, created = register_model.objects.get_or_create(
            slug=slug,
            defaults={
                "short_name": short_name,
                "name": name,
                "website": website,
                "number_label": number_label,
                "kind": kind,
                "sort_order": position,
            },
        )
        if created:
            register.professions.set(profession_model.objects.filter(slug__in=professions))


def register_names_en_fill(register_model) -> None:
    """Give the seeded registers their English names where staff have not given one."""
    for register in register_model.objects.filter(slug__in=REGISTER_NAMES_EN):
        short_name_en, name_en = REGISTER_NAMES_EN[register.slug]
        register.short_name_en = register.short_name_en or short_name_en
        register.name_en = register.name_en or name_en
        register.save(update_fields=["short_name_en", "name_en"])


# Kinds of activity registers count apart (accreditation.md: RGS's intercollegiale toetsing,
# KNOV's categories A to D, KNMP's and NAPA's limits on e-learning).
ACTIVITY_CATEGORIES = [
    # slug, Dutch name, English name
    ("geaccrediteerd", "Geaccrediteerde nascholing", "Accredited training"),
    ("intercollegiale-toetsing", "Intercollegiale toetsing", "Peer review"),
    ("vaardigheden", "Vaardigheidstraining (spoedeisende zorg)", "Skills training (emergencies)"),
    ("overig", "Overige deskundigheidsbevordering", "Other professional development"),
    # KNMP and NAPA cap online learning without a live teacher (accreditation.md, section 3).
    ("e-learning", "E-learning en on-demand (online, niet live)", "E-learning and on-demand"),
    ("klassikaal", "Klassikaal of live (ook live webinar)", "Classroom or live"),
    # KRT's shares of the total.
    ("vakinhoudelijk", "Vakinhoudelijke nascholing", "Subject-matter training"),
    ("algemeen", "Algemene nascholing", "General training"),
    ("reflectie", "Reflectie", "Reflection"),
]


def activity_categories_load(category_model) -> None:
    for position, (slug, name, name_en) in enumerate(ACTIVITY_CATEGORIES):
        category_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": position}
        )
