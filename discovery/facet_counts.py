"""Counting every facet of a search in one query.

The matching courses (text, live, public) are worked out once, in a common table expression
that also carries one true/false column per active filter. Each facet then counts the rows of
that table that pass every *other* filter, grouped by its values; the counts of all facets come
back together through ``UNION ALL``. Without this, each facet would evaluate the text search
and the page joins again. The facets defined by conditions (price, duration, distance, the
total) are counted together in one pass over the table; a tag facet counts the (course, value)
rows whose course passes the other filters, by hashing rather than sorting when the pairs are
known to be unique (a many-to-many table's).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

COLUMNS = ["pk", "format", "language", "price", "duration_minutes", "provider_id", "starts_at"]


@dataclass(frozen=True)
class TagFacet:
    """A facet counted through a join with ``pairs``: a query of (course id, value) rows,
    such as a course's professions or the registers it is accredited in."""

    name: str
    pairs: QuerySet
    # Whether each (course, value) pair occurs once, so that counting rows counts courses.
    unique_pairs: bool = False


@dataclass(frozen=True)
class Bucket:
    """One option of a facet defined by a condition on the course row."""

    facet: str
    value: str
    condition: str
    params: tuple = ()


def facet_counts(
    base: QuerySet,
    filters: dict[str, Q],
    *,
    grouped: list[str],
    tags: list[TagFacet],
    buckets: list[Bucket],
) -> dict[str, dict[str, int]]:
    """Counts per facet and value. ``grouped`` names course columns counted per value (their
    facet is the column name); ``tags`` are counted through joins; ``buckets`` by condition.
    A facet's own filter (``filters[facet]``) is left out of its counts."""
    quote = connection.ops.quote_name
    flags = {name: f"flag_{number}" for number, name in enumerate(filters)}
    annotated = base.annotate(
        **{
            flags[name]: ExpressionWrapper(q, output_field=BooleanField())
            for name, q in filters.items()
        }
    )
    extra = [name for name in ("distance2",) if name in base.query.annotations]
    inner_sql, inner_params, names = _compiled(
        annotated.values(*COLUMNS, *extra, *flags.values()).order_by()
    )
    names = ["pk" if name == "page_ptr_id" else name for name in names]

    def others(facet: str) -> str:
        conditions = [f"base.{quote(flag)}" for name, flag in flags.items() if name != facet]
        return " AND ".join(conditions) or "1 = 1"

    branches, params = [], []
    for column in grouped:
        branches.append(
            f"SELECT %s, CAST(base.{quote(column)} AS VARCHAR(40)), COUNT(*) FROM base "
            f"WHERE {others(column)} GROUP BY base.{quote(column)}"
        )
        params.append(column)
    for tag in tags:
        pairs_sql, pairs_params, (course, value) = _compiled(tag.pairs.order_by())
        courses = "*" if tag.unique_pairs else f"DISTINCT t.{quote(course)}"
        branches.append(
            f"SELECT %s, CAST(t.{quote(value)} AS VARCHAR(40)), COUNT({courses}) "
            f"FROM ({pairs_sql}) t WHERE t.{quote(course)} IN "
            f"(SELECT base.pk FROM base WHERE {others(tag.name)}) GROUP BY t.{quote(value)}"
        )
        params += [tag.name, *pairs_params]
    # One pass over the table counts every bucket, a column each; a row per bucket reads it.
    counted, counted_params = [], []
    for number, bucket in enumerate(buckets):
        condition = f"{others(bucket.facet)} AND {bucket.condition}"
        counted.append(f"COUNT(CASE WHEN {condition} THEN 1 END) AS b{number}")
        counted_params += list(bucket.params)
        branches.append(f"SELECT %s, %s, counted.b{number} FROM counted")
        params += [bucket.facet, bucket.value]
    columns = ", ".join(quote(name) for name in names)
    sql = f"WITH base ({columns}) AS ({inner_sql})"
    if counted:
        sql += f", counted AS (SELECT {', '.join(counted)} FROM base)"
    sql += " " + " UNION ALL ".join(branches)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *counted_params, *params])
        for facet, value, count in cursor.fetchall():
            if value is not None:
                counts[facet][str(value)] = count
    return counts


def _compiled(queryset: QuerySet) -> tuple[str, tuple, list[str]]:
    """A query's SQL, parameters and the names of the columns it selects."""
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    names = [alias or column.target.column for column, _sql, alias in compiler.select]
    return sql, params, names
