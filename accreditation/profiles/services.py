"""Writes of the accreditation app: the learner's profile, name and BIG number."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..ledger.evidence import evidence_check
from ..models import BigNumberClaim, ProfessionalProfile, Register, Registration
from .period_checks import registration_period_problems, registration_reduction_problems
from .selectors import registration_rules_get

BIG_REGISTER_SLUG = "big"

# Sent with ``user_id`` once a learner has the name certificates are made out to.
learner_named = Signal()


@dataclass(frozen=True)
class LearnerName:
    first_name: str
    surname_prefix: str
    last_name: str
    # Empty: taken from the first name where initials are printed.
    initials: str = ""


@dataclass(frozen=True)
class ProfileSaved:
    profile: ProfessionalProfile
    # The BIG number entered belongs to another account: not stored, a claim for staff instead.
    big_number_disputed: bool
    # Point registers added by this save: their periods are still to be entered.
    added_register_ids: frozenset[int] = frozenset()


@transaction.atomic
def professional_profile_save(
    *,
    user,
    profession_id: int,
    big_number: str,
    registers: list[Register],
    name: LearnerName | None = None,
) -> ProfileSaved:
    """Store the learner's name, profession, BIG number and the point registers they are in."""
    named_before = user.has_name
    if name is not None:
        learner_name_save(user=user, name=name)
    profile, _created = ProfessionalProfile.objects.get_or_create(
        user=user, defaults={"profession_id": profession_id}
    )
    profile.profession_id = profession_id
    profile.save(update_fields=["profession", "updated_at"])
    taken = not big_number_assign(user=user, big_number=big_number)

    wanted = {register.id for register in registers}
    current = Registration.objects.filter(user=user, register__kind=Register.Kind.POINTS)
    current.exclude(register_id__in=wanted).delete()
    existing = set(current.values_list("register_id", flat=True))
    added = frozenset(wanted - existing)
    Registration.objects.bulk_create(
        [Registration(user=user, register_id=register_id) for register_id in added],
        ignore_conflicts=True,
    )
    if user.has_name and not named_before:
        # A failing receiver is logged, never the learner's error: the profile is saved.
        transaction.on_commit(_learner_named_announcer(user.pk), robust=True)
    profile.refresh_from_db()
    return ProfileSaved(profile=profile, big_number_disputed=taken, added_register_ids=added)


def _learner_named_announcer(user_id: int):
    def learner_named_announce():
        learner_named.send(sender=ProfessionalProfile, user_id=user_id)

    return learner_named_announce


def learner_name_save(*, user, name: LearnerName) -> None:
    user.first_name = name.first_name.strip()[:150]
    user.surname_prefix = name.surname_prefix.strip()[:30]
    user.last_name = name.last_name.strip()[:150]
    user.initials = name.initials.strip()[:20]
    user.save(update_fields=["first_name", "surname_prefix", "last_name", "initials"])


def big_number_assign(*, user, big_number: str) -> bool:
    """Give the learner this BIG number (or none, for ""). False when another account holds it:
    the learner keeps what they had and staff get a claim to decide, never a silent move."""
    profile = ProfessionalProfile.objects.filter(user=user).first()
    if big_number and _big_number_held_by_other(user=user, big_number=big_number):
        BigNumberClaim.objects.get_or_create(
            user=user, big_number=big_number, status=BigNumberClaim.Status.OPEN
        )
        return False
    if profile is not None and profile.big_number != big_number:
        profile.big_number = big_number
        try:
            with transaction.atomic():
                profile.save(update_fields=["big_number", "updated_at"])
        except IntegrityError:
            # Another account took the number in the same instant.
            BigNumberClaim.objects.get_or_create(
                user=user, big_number=big_number, status=BigNumberClaim.Status.OPEN
            )
            return False
    _big_registration_sync(user=user, big_number=big_number)
    return True


def _big_number_held_by_other(*, user, big_number: str) -> bool:
    return ProfessionalProfile.objects.filter(big_number=big_number).exclude(user=user).exists()


def _big_registration_sync(*, user, big_number: str) -> None:
    big = Register.objects.filter(slug=BIG_REGISTER_SLUG).first()
    if big is None:
        return
    if big_number:
        Registration.objects.update_or_create(
            user=user, register=big, defaults={"member_number": big_number}
        )
    else:
        Registration.objects.filter(user=user, register=big).delete()


@transaction.atomic
def big_number_claim_decide(
    *, claim: BigNumberClaim, grant: bool, by, note: str = ""
) -> BigNumberClaim:
    """Staff decide a claim: granted, the number moves from its holder to the claimant (whose
    profile must exist); refused, nothing moves. Either way the decision is kept."""
    claim = BigNumberClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != BigNumberClaim.Status.OPEN:
        raise ValidationError(_("This claim has already been decided."), code="claim_decided")
    if grant:
        holders = ProfessionalProfile.objects.filter(big_number=claim.big_number).exclude(
            user_id=claim.user_id
        )
        for holder in holders.select_related("user"):
            holder.big_number = ""
            holder.save(update_fields=["big_number", "updated_at"])
            _big_registration_sync(user=holder.user, big_number="")
        if not big_number_assign(user=claim.user, big_number=claim.big_number):
            raise ValidationError(_("The number could not be moved; try again."), code="race")
    claim.status = BigNumberClaim.Status.GRANTED if grant else BigNumberClaim.Status.REFUSED
    claim.decided_at = timezone.now()
    claim.decided_by = by
    claim.staff_note = note.strip()
    claim.save(update_fields=["status", "decided_at", "decided_by", "staff_note"])
    return claim


@transaction.atomic
def registration_period_set(
    *, registration: Registration, start: date | None, end: date | None
) -> Registration:
    """The period as the learner's register shows it. Either day may be left out: it then
    follows from the other and the register's period length (BIG: the deadline, five years
    after the last decision)."""
    rules = registration_rules_get(registration=registration, start=start, end=end)
    problems = registration_period_problems(
        start=start, end=end, years=rules.period_years, today=timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)
    registration.period_start, registration.period_end = start, end
    registration.save(update_fields=["period_start", "period_end"])
    return registration


@transaction.atomic
def registration_reduction_set(
    *, registration: Registration, granted: Decimal | None, evidence=None
) -> Registration:
    """The personal reduction the learner's register granted (RGS: up to 66 hours), with the
    register's decision as evidence; refused above the cap of the requirement in force for the
    registration's period. None takes the reduction and its decision away."""
    previous = registration.reduction_evidence.name
    if granted is None:
        registration.reduction_granted, registration.reduction_evidence = None, ""
    else:
        rules = registration_rules_get(
            registration=registration, start=registration.period_start, end=registration.period_end
        )
        problems = registration_reduction_problems(
            granted=granted,
            reduction_max=rules.reduction_max,
            register=registration.register.display_short_name,
            has_evidence=bool(evidence or previous),
        )
        if problems:
            raise ValidationError(problems)
        if evidence is not None:
            evidence_check(evidence)
            registration.reduction_evidence = evidence
        registration.reduction_granted = granted
    registration.save(update_fields=["reduction_granted", "reduction_evidence"])
    if previous and previous != registration.reduction_evidence.name:
        # The decision it replaces is personal data with no use left: gone once this commits.
        storage = registration.reduction_evidence.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return registration
