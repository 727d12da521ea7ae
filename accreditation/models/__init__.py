from .profiles import ProfessionalProfile, Registration
from .registers import Register

__all__ = ["ProfessionalProfile", "Register", "Registration"]
