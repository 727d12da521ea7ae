from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self):
        from .certificates.backfill import certificates_on_learner_named
        from .profiles.services import learner_named
        from .rules.cache import rules_signals_connect

        rules_signals_connect()
        learner_named.connect(
            certificates_on_learner_named,
            dispatch_uid="accreditation.certificates_on_learner_named",
        )
