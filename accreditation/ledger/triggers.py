"""Database triggers that make the points ledger append-only, on PostgreSQL and SQLite alike.

Row-level only: emptying the whole table (TRUNCATE on PostgreSQL) stays possible, which test
databases rely on between tests.
"""

TABLE = "accreditation_ledgerentry"
MESSAGE = "the points ledger is append-only: correct an entry with a reversing entry"

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION accreditation_ledger_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused',
            ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER accreditation_ledger_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION accreditation_ledger_refuse_change()
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS accreditation_ledger_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS accreditation_ledger_refuse_change()",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER accreditation_ledger_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER accreditation_ledger_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS accreditation_ledger_no_update",
    "DROP TRIGGER IF EXISTS accreditation_ledger_no_delete",
]

_STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def ledger_triggers_create(apps, schema_editor) -> None:
    create, _drop = _STATEMENTS.get(schema_editor.connection.vendor, ((), ()))
    for statement in create:
        schema_editor.execute(statement)


def ledger_triggers_drop(apps, schema_editor) -> None:
    _create, drop = _STATEMENTS.get(schema_editor.connection.vendor, ((), ()))
    for statement in drop:
        schema_editor.execute(statement)


def ledger_empty_for_flush(connection) -> None:
    """Empty the ledger wholesale, as a test database flush must: TRUNCATE on PostgreSQL
    (which the row triggers allow); on SQLite, where a flush deletes row by row, the delete
    trigger is lifted for this one statement inside a transaction."""
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLE}")
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_DROP[1])
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(SQLITE_CREATE[1])
