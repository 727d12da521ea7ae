from .courses import ActivityCategory, CourseAccreditation
from .ledger import LedgerEntry
from .profiles import ProfessionalProfile, Registration
from .registers import Register
from .rules import CategoryRule, Requirement, WorkHourNorm
from .work_hours import WorkHoursEntry

__all__ = [
    "ActivityCategory",
    "CategoryRule",
    "CourseAccreditation",
    "LedgerEntry",
    "ProfessionalProfile",
    "Register",
    "Registration",
    "Requirement",
    "WorkHourNorm",
    "WorkHoursEntry",
]
