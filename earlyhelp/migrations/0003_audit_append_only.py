from django.db import migrations

# The audit trail is evidence: PostgreSQL itself refuses to change or delete a row.
FORBID = """
CREATE OR REPLACE FUNCTION earlyhelp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER earlyhelp_audit_append_only
    BEFORE UPDATE OR DELETE ON earlyhelp_auditevent
    FOR EACH ROW EXECUTE FUNCTION earlyhelp_audit_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS earlyhelp_audit_append_only ON earlyhelp_auditevent;
DROP FUNCTION IF EXISTS earlyhelp_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0002_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
