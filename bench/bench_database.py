"""The benchmarks' own PostgreSQL databases, made fresh or kept from an earlier run."""

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_prepare(name: str, *, keep: bool) -> bool:
    """Make database ``name``; returns whether an earlier run's was kept (``keep``)."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return True
        if exists:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return False
