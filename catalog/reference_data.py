"""Professions Leerstroom serves, as data.

``big_reregistration`` marks the professions of article 3 Wet BIG that re-register every five
years (consolidated text from 1 March 2023). Staff can edit these rows in the Wagtail admin;
this list only seeds them.
"""

PROFESSIONS = [
    # slug, Dutch name, English name, BIG re-registration
    ("arts", "Arts", "Physician", True),
    ("tandarts", "Tandarts", "Dentist", True),
    ("apotheker", "Apotheker", "Pharmacist", True),
    ("verpleegkundige", "Verpleegkundige", "Nurse", True),
    ("verloskundige", "Verloskundige", "Midwife", True),
    ("fysiotherapeut", "Fysiotherapeut", "Physiotherapist", True),
    ("gz-psycholoog", "GZ-psycholoog", "Healthcare psychologist", True),
    ("psychotherapeut", "Psychotherapeut", "Psychotherapist", True),
    ("physician-assistant", "Physician assistant", "Physician assistant", True),
    ("orthopedagoog-generalist", "Orthopedagoog-generalist", "Orthopedagogue", True),
    ("klinisch-technoloog", "Klinisch technoloog", "Clinical technologist", True),
    ("doktersassistent", "Doktersassistent", "Doctor's assistant", False),
    ("verzorgende-ig", "Verzorgende IG", "Care worker (IG)", False),
    ("praktijkondersteuner", "Praktijkondersteuner (POH)", "Practice nurse (POH)", False),
    ("apothekersassistent", "Apothekersassistent", "Pharmacy assistant", False),
    ("mondhygienist", "Mondhygiënist", "Dental hygienist", False),
    ("dietist", "Diëtist", "Dietitian", False),
    ("ergotherapeut", "Ergotherapeut", "Occupational therapist", False),
    ("logopedist", "Logopedist", "Speech therapist", False),
    ("anders", "Andere zorgprofessional", "Other healthcare professional", False),
]


def professions_load(profession_model) -> None:
    """Create the seeded professions that are missing; rows staff edited stay as they are."""
    for position, (slug, name, name_en, big) in enumerate(PROFESSIONS):
        profession_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "big_reregistration": big,
                "sort_order": position,
            },
        )


# The seven CanMEDS roles, as Dutch healthcare education names them (CanMEDS 2015; KNMG,
# V&VN and the professional bodies use these). Staff can edit them; this list only seeds them.
COMPETENCIES = [
    # slug, Dutch name, English name, Dutch description
    ("medisch-handelen", "Vakinhoudelijk handelen", "Medical expert",
     "Deskundig zorg verlenen: diagnostiek, behandeling en zorg op basis van actuele kennis."),
    ("communicatie", "Communicatie", "Communicator",
     "Contact met patiënten en naasten: uitleg, gezamenlijke besluitvorming, slecht nieuws."),
    ("samenwerking", "Samenwerking", "Collaborator",
     "Samenwerken met collega's en andere disciplines, overdracht en het MDO."),
    ("kennis-en-wetenschap", "Kennis en wetenschap", "Scholar",
     "Kritisch omgaan met wetenschappelijke informatie, onderwijs geven en blijven leren."),
    ("maatschappelijk-handelen", "Maatschappelijk handelen", "Health advocate",
     "Preventie, leefstijl, gezondheidsbevordering en de zorg in de samenleving."),
    ("organisatie", "Organisatie", "Leader",
     "Praktijkvoering, kwaliteit, veiligheid, digitale zorg en doelmatigheid."),
    ("professionaliteit", "Professionaliteit en kwaliteit", "Professional",
     "Ethiek, reflectie, integriteit en zorg voor jezelf als professional."),
]  # fmt: skip


# The roles' descriptions in English, for the home page's rows when English is chosen.
COMPETENCY_DESCRIPTIONS_EN = {
    "medisch-handelen": "Expert care: diagnosis, treatment and care based on current knowledge.",
    "communicatie": "Patients and their families: explaining, deciding together, bad news.",
    "samenwerking": "Working with colleagues and other disciplines, handovers and the MDT.",
    "kennis-en-wetenschap": "Reading research critically, teaching and going on learning.",
    "maatschappelijk-handelen": "Prevention, lifestyle, health promotion and care in society.",
    "organisatie": "Running a practice, quality, safety, digital care and efficiency.",
    "professionaliteit": "Ethics, reflection, integrity and caring for yourself as a professional.",
}


def competency_descriptions_en_load(competency_model) -> None:
    for slug, description in COMPETENCY_DESCRIPTIONS_EN.items():
        competency_model.objects.filter(slug=slug, description_en="").update(
            description_en=description
        )


def competencies_load(competency_model) -> None:
    for position, (slug, name, name_en, description) in enumerate(COMPETENCIES):
        competency_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "sort_order": position,
            },
        )
