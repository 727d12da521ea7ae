"""Places a learner can search from, with their coordinates (town centres, WGS84).

Distance search needs no geocoding service: classroom courses store their coordinates and the
learner picks one of these places."""

import math
from dataclasses import dataclass

from django.db.models import ExpressionWrapper, FloatField, Value
from django.db.models.functions import Cast

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    latitude: float
    longitude: float


PLACES = [
    Place(slug, name, latitude, longitude)
    for slug, name, latitude, longitude in [
        ("alkmaar", "Alkmaar", 52.6324, 4.7534),
        ("almere", "Almere", 52.3508, 5.2647),
        ("amersfoort", "Amersfoort", 52.1561, 5.3878),
        ("amsterdam", "Amsterdam", 52.3676, 4.9041),
        ("apeldoorn", "Apeldoorn", 52.2112, 5.9699),
        ("arnhem", "Arnhem", 51.9851, 5.8987),
        ("assen", "Assen", 52.9929, 6.5642),
        ("breda", "Breda", 51.5719, 4.7683),
        ("delft", "Delft", 52.0116, 4.3571),
        ("den-haag", "Den Haag", 52.0705, 4.3007),
        ("den-helder", "Den Helder", 52.9563, 4.7601),
        ("deventer", "Deventer", 52.2550, 6.1639),
        ("dordrecht", "Dordrecht", 51.8133, 4.6901),
        ("ede", "Ede", 52.0402, 5.6649),
        ("eindhoven", "Eindhoven", 51.4416, 5.4697),
        ("emmen", "Emmen", 52.7792, 6.9069),
        ("enschede", "Enschede", 52.2215, 6.8937),
        ("gouda", "Gouda", 52.0115, 4.7105),
        ("groningen", "Groningen", 53.2194, 6.5665),
        ("haarlem", "Haarlem", 52.3874, 4.6462),
        ("heerlen", "Heerlen", 50.8882, 5.9795),
        ("helmond", "Helmond", 51.4793, 5.6570),
        ("hilversum", "Hilversum", 52.2292, 5.1669),
        ("hoorn", "Hoorn", 52.6424, 5.0597),
        ("leeuwarden", "Leeuwarden", 53.2012, 5.7999),
        ("leiden", "Leiden", 52.1601, 4.4970),
        ("lelystad", "Lelystad", 52.5185, 5.4714),
        ("maastricht", "Maastricht", 50.8514, 5.6910),
        ("middelburg", "Middelburg", 51.4988, 3.6136),
        ("nijmegen", "Nijmegen", 51.8126, 5.8372),
        ("oss", "Oss", 51.7650, 5.5180),
        ("roermond", "Roermond", 51.1942, 5.9870),
        ("rotterdam", "Rotterdam", 51.9244, 4.4777),
        ("s-hertogenbosch", "'s-Hertogenbosch", 51.6978, 5.3037),
        ("sneek", "Sneek", 53.0326, 5.6589),
        ("terneuzen", "Terneuzen", 51.3358, 3.8272),
        ("tilburg", "Tilburg", 51.5555, 5.0913),
        ("utrecht", "Utrecht", 52.0907, 5.1214),
        ("venlo", "Venlo", 51.3704, 6.1724),
        ("vlissingen", "Vlissingen", 51.4426, 3.5736),
        ("zoetermeer", "Zoetermeer", 52.0575, 4.4931),
        ("zwolle", "Zwolle", 52.5168, 6.0830),
    ]
]
PLACES_BY_SLUG = {place.slug: place for place in PLACES}


def distance_squared(place: Place) -> ExpressionWrapper:
    """A course's squared distance in km² from a place, as a database expression over its
    ``latitude`` and ``longitude`` (equirectangular; exact enough within a country)."""
    km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(place.latitude))
    dy = (Cast("latitude", FloatField()) - Value(place.latitude)) * Value(KM_PER_DEGREE_LATITUDE)
    dx = (Cast("longitude", FloatField()) - Value(place.longitude)) * Value(km_x)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
