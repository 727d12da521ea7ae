from .certificates import Certificate
from .courses import ActivityCategory, CourseAccreditation
from .exports import AttendanceExport
from .ledger import LedgerEntry
from .profiles import BigNumberClaim, ProfessionalProfile, Registration
from .registers import Register
from .reminders import CalendarFeed, DeadlineReminder
from .rules import CategoryRule, Requirement, WorkHourNorm
from .work_hours import WorkHoursEntry

__all__ = [
    "ActivityCategory",
    "AttendanceExport",
    "BigNumberClaim",
    "CalendarFeed",
    "CategoryRule",
    "Certificate",
    "CourseAccreditation",
    "DeadlineReminder",
    "LedgerEntry",
    "ProfessionalProfile",
    "Register",
    "Registration",
    "Requirement",
    "WorkHourNorm",
    "WorkHoursEntry",
]
