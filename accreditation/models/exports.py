from django.utils.translation import gettext_lazy as _

from .ledger import LedgerEntry


class AttendanceExport(LedgerEntry):
    """Carries the permission to export attendance lists: they show other learners' ledgers."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("export_attendance", _("Can export attendance lists of courses"))]
        verbose_name = _("attendance export")
        verbose_name_plural = _("attendance exports")
