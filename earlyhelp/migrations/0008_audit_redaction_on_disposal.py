from django.db import migrations

# The audit trail stays append-only, with one exception: when a family's records are
# disposed of after retention (records/retention.py), the old and new values that an audit
# row quoted (names, addresses) are replaced by a marker. Who did what, to which record and
# when is kept; nothing else may change, and only inside a transaction that asks for it.
REDACTABLE = """
CREATE OR REPLACE FUNCTION earlyhelp_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('earlyhelp.audit_redaction', true) = 'disposal'
       AND NEW.changes = '{"disposed": "values removed with the record"}'::jsonb
       AND (NEW.id, NEW.at, NEW.user_id, NEW.action, NEW.record_type, NEW.record_id,
            NEW.person_id, NEW.family_id, NEW.path, NEW.ip_address, NEW.reason)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.user_id, OLD.action, OLD.record_type, OLD.record_id,
            OLD.person_id, OLD.family_id, OLD.path, OLD.ip_address, OLD.reason)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

STRICT = """
CREATE OR REPLACE FUNCTION earlyhelp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0007_security_hardening")]

    operations = [migrations.RunSQL(REDACTABLE, STRICT)]
