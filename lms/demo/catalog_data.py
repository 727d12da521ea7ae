"""The demo catalog, as data: courses Dutch healthcare professionals actually look for.

Providers are invented; registers, professions, competencies and activity categories are the
seeded reference data. The courses themselves are in ``course_data``.
"""

PROVIDERS = [
    ("Leerstroom Academie", "https://leerstroom.localhost/academie", "Eigen cursussen van Leerstroom."),
    ("Zorgacademie Midden-Nederland", "", "Nascholing voor de eerste en tweede lijn in de regio Utrecht."),
    ("Netwerk Palliatieve Zorg Oost", "", "Regionaal netwerk van hospices, thuiszorg en ziekenhuizen."),
    ("Huisartsenkring Noord", "", "Nascholing door en voor huisartsen en praktijkondersteuners."),
    ("Reanimatie Trainingscentrum Delta", "", "Erkende BLS-, AED- en spoedzorgtrainingen."),
    ("Kenniscentrum Ouderenzorg", "", "Praktijkgerichte scholing voor verpleeghuis en wijk."),
]  # fmt: skip

SPONSORS = [("Farmabedrijf Voorbeeld BV", "")]

TOPICS = [
    # slug, Dutch, English
    ("dermatologie", "Dermatologie", "Dermatology"),
    ("oncologie", "Oncologie", "Oncology"),
    ("infectieziekten", "Infectieziekten", "Infectious diseases"),
    ("palliatieve-zorg", "Palliatieve zorg", "Palliative care"),
    ("leefstijl", "Leefstijl en preventie", "Lifestyle and prevention"),
    ("ouderenzorg", "Ouderenzorg", "Care for older people"),
    ("dementie", "Dementie", "Dementia"),
    ("acute-zorg", "Acute zorg", "Emergency care"),
    ("samenwerking-mdo", "MDO en ketenzorg", "Multidisciplinary care"),
    ("digitale-zorg", "Digitale zorg", "Digital care"),
    ("farmacotherapie", "Farmacotherapie", "Pharmacotherapy"),
    ("ggz", "Geestelijke gezondheid", "Mental health"),
    ("communicatie", "Gespreksvoering", "Consultation skills"),
    ("kwaliteit", "Kwaliteit en veiligheid", "Quality and safety"),
    ("kind-en-geboorte", "Kind en geboorte", "Mother and child"),
    ("bewegen", "Bewegen en revalidatie", "Movement and rehabilitation"),
]

# Featured collections ("Uitgelicht"), in order: (title, title_en, intro, [(course slug, pitch)]).
FEATURED = [
    (
        "Uitgelicht: verder dan je eigen vak",
        "Featured: beyond your own field",
        "Keuzes van de redactie die je waarschijnlijk niet zelf had gekozen.",
        [
            (
                "interprofessioneel-samenwerken-in-het-mdo",
                "Haal meer uit elk MDO: wie doet wat, en waarom.",
            ),
            ("digitale-vaardigheden-in-de-zorg", "Beeldbellen dat werkt, en privacy zonder gedoe."),
            ("leefstijl-en-prehabilitatie", "Fitter de operatie in betekent sneller herstel."),
            ("ouderen-met-cognitieve-stoornissen", "Herken de signalen eerder dan de familie."),
            (
                "melanoom-herkennen-in-de-huisartsenpraktijk",
                "Drie minuten die een leven kunnen redden.",
            ),
            ("werkdruk-en-veerkracht", ""),
        ],
    ),
    (
        "Palliatieve zorg in de praktijk",
        "Palliative care in practice",
        "Van de basis tot sedatie: voor iedereen die mensen in hun laatste levensfase begeleidt.",
        [
            ("palliatieve-zorg-de-basis", ""),
            ("palliatieve-sedatie", ""),
            ("slecht-nieuws-gesprek", ""),
            ("delier-herkennen", ""),
        ],
    ),
]

# The featured rows' introductions in English, by Dutch title.
FEATURED_INTROS_EN = {
    "Uitgelicht: verder dan je eigen vak": "Editors' picks you would probably not have chosen yourself.",
    "Palliatieve zorg in de praktijk": (
        "From the basics to sedation: for everyone who accompanies people in their last phase of life."
    ),
}

# Courses whose accreditation ends soon, so "Accreditatie verloopt binnenkort" has content:
# course slug → days from the seeding day.
ACCREDITATION_ENDS_IN_DAYS = {
    "covid-19-in-de-eerste-lijn": 24,
    "delier-herkennen": 38,
    "diabetes-type-2-update": 51,
    "wondzorg-decubitus": 17,
}

# Invented speakers, one per topic: a course lists the speaker of each of its first two topics.
SPEAKERS = {
    "dermatologie": ("Dr. Sanne Bakker", "Dermatoloog, Huidcentrum Amersfoort", "Leidt de huidkankerpoli en leert huisartsen al tien jaar dermatoscopie."),
    "oncologie": ("Dr. Ruben Kramer", "Internist-oncoloog, Ziekenhuis Rivierenland", "Behandelt mensen met kanker en schrijft mee aan de regionale zorgpaden."),
    "infectieziekten": ("Noor Jansen", "Deskundige infectiepreventie, Isala Zwolle", "Adviseert afdelingen over hygiëne en isolatie en traint teams op de werkvloer."),
    "palliatieve-zorg": ("Marieke de Vries", "Verpleegkundig specialist palliatieve zorg", "Werkt in het consultatieteam van Netwerk Palliatieve Zorg Oost en in het hospice."),
    "leefstijl": ("Daan Visser", "Leefstijlcoach en fysiotherapeut", "Begeleidt mensen voor een operatie naar een betere conditie en geeft les over motiverende gespreksvoering."),
    "ouderenzorg": ("Dr. Fatima El Amrani", "Specialist ouderengeneeskunde, Zorggroep Eemland", "Werkt in het verpleeghuis en in de wijk, met aandacht voor kwetsbaarheid en medicatie."),
    "dementie": ("Joost Hendriks", "Casemanager dementie", "Begeleidt mensen met dementie en hun naasten thuis en leidt mantelzorgcursussen."),
    "acute-zorg": ("Lisa Mulder", "SEH-verpleegkundige en BLS-instructeur", "Traint zorgverleners in reanimatie en werkt op de spoedeisende hulp."),
    "samenwerking-mdo": ("Peter Smit", "Huisarts en kaderarts ouderengeneeskunde", "Zit het wijk-MDO voor en werkt aan betere samenwerking tussen de lijnen."),
    "digitale-zorg": ("Yara Bos", "Adviseur digitale zorg", "Helpt teams met beeldbellen, thuismeten en veilig werken met patiëntgegevens."),
    "farmacotherapie": ("Dr. Thomas de Graaf", "Openbaar apotheker", "Leidt het farmacotherapeutisch overleg en doet medicatiebeoordelingen bij ouderen."),
    "ggz": ("Dr. Esther Willems", "Psychiater", "Werkt in de acute psychiatrie en traint huisartsen in het bespreken van suïcidaliteit."),
    "communicatie": ("Hanneke Peters", "Trainer gespreksvoering en GZ-psycholoog", "Oefent met zorgverleners moeilijke gesprekken, van slecht nieuws tot samen beslissen."),
    "kwaliteit": ("Martijn Dekker", "Kwaliteitsfunctionaris, Ziekenhuis Gelderse Vallei", "Begeleidt incidentanalyses en het leren van fouten in teams."),
    "kind-en-geboorte": ("Anouk van Dijk", "Verloskundige", "Werkt in een eerstelijnspraktijk en geeft les over spoedsituaties rond de bevalling."),
    "bewegen": ("Bram Meijer", "Fysiotherapeut", "Behandelt mensen met rugklachten en schrijft mee aan de beweegrichtlijnen."),
}  # fmt: skip
