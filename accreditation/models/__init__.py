from .courses import ActivityCategory, CourseAccreditation
from .profiles import ProfessionalProfile, Registration
from .registers import Register

__all__ = [
    "ActivityCategory",
    "CourseAccreditation",
    "ProfessionalProfile",
    "Register",
    "Registration",
]
