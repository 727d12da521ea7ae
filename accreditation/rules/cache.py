"""The rules every evaluation reads — requirement versions, categories, BIG norms — as one
cached snapshot: they change a few times a year and are read on every dashboard view."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction

from ..evaluation import CategoryRuleData, RequirementData, valid_on
from ..models import ActivityCategory, CategoryRule, Requirement, WorkHourNorm

CACHE_KEY = "accreditation:rules:v3"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class NormData:
    hours: int
    cycle_years: int
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True)
class RulesSnapshot:
    requirements: dict[int, tuple[RequirementData, ...]] = field(default_factory=dict)
    category_ids: tuple[int, ...] = ()
    norms: dict[int, tuple[NormData, ...]] = field(default_factory=dict)

    def norm_in_force(self, *, profession_id: int | None, on: date) -> NormData | None:
        valid = [
            norm
            for norm in self.norms.get(profession_id, ())
            if valid_on(on, valid_from=norm.valid_from, valid_until=norm.valid_until)
        ]
        return max(valid, key=lambda norm: norm.valid_from, default=None)


def _rules_load() -> RulesSnapshot:
    categories_per_rule: dict[int, set[int]] = defaultdict(set)
    for rule_id, category_id in CategoryRule.categories.through.objects.values_list(
        "categoryrule_id", "activitycategory_id"
    ):
        categories_per_rule[rule_id].add(category_id)
    rules_per_requirement = defaultdict(list)
    for rule in CategoryRule.objects.order_by("sort_order", "pk"):
        rules_per_requirement[rule.requirement_id].append(rule)
    requirements = defaultdict(list)
    for requirement in Requirement.objects.order_by("valid_from", "pk"):
        total = requirement.total_points
        rules = tuple(
            CategoryRuleData(
                rule.label,
                rule.kind,
                rule.amount * total / 100
                if rule.unit == CategoryRule.Unit.PERCENT
                else rule.amount,
                frozenset(categories_per_rule[rule.pk]),
                rule.profession_id,
                rule.label_en,
            )
            for rule in rules_per_requirement[requirement.pk]
        )
        requirements[requirement.register_id].append(
            RequirementData(
                id=requirement.pk,
                register_id=requirement.register_id,
                total_points=total,
                period_years=requirement.period_years,
                points_per_year=requirement.points_per_year,
                valid_from=requirement.valid_from,
                valid_until=requirement.valid_until,
                source_url=requirement.source_url,
                rules=rules,
                profession_id=requirement.profession_id,
                reduction_max=requirement.reduction_max,
            )
        )
    norms = defaultdict(list)
    for norm in WorkHourNorm.objects.all():
        norms[norm.profession_id].append(
            NormData(norm.hours, norm.cycle_years, norm.valid_from, norm.valid_until)
        )
    return RulesSnapshot(
        requirements={key: tuple(value) for key, value in requirements.items()},
        category_ids=tuple(ActivityCategory.objects.values_list("pk", flat=True)),
        norms={key: tuple(value) for key, value in norms.items()},
    )


def rules_snapshot() -> RulesSnapshot:
    snapshot = cache.get(CACHE_KEY)
    if snapshot is None:
        snapshot = _rules_load()
        cache.set(CACHE_KEY, snapshot, CACHE_SECONDS)
    return snapshot


def rules_forget(**kwargs) -> None:
    """Drop the snapshot now and again after the commit, so a read racing the change cannot
    keep an old snapshot cached."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def rules_signals_connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    for model in (Requirement, CategoryRule, ActivityCategory, WorkHourNorm):
        post_save.connect(rules_forget, sender=model, dispatch_uid=f"rules_forget_save_{model}")
        post_delete.connect(rules_forget, sender=model, dispatch_uid=f"rules_forget_delete_{model}")
    # Data migrations save through historical models, which send no signals to these senders.
    post_migrate.connect(rules_forget, dispatch_uid="rules_forget_migrate")
    m2m_changed.connect(
        rules_forget, sender=CategoryRule.categories.through, dispatch_uid="rules_forget_m2m"
    )
