"""The database refuses to change or delete ledger entries (the model refuses too)."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION mitrasehat_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only; record a reversal instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON programs_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION mitrasehat_ledger_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS ledger_append_only ON programs_ledgerentry;
DROP FUNCTION IF EXISTS mitrasehat_ledger_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON programs_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; record a reversal instead'); END;",
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON programs_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; record a reversal instead'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS ledger_no_update;", "DROP TRIGGER IF EXISTS ledger_no_delete;"]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_shared_funds")]

    operations = [migrations.RunPython(up, down)]
