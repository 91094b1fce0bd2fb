"""A membership insert that fails on its n-th statement, as when the server or the worker dies
mid-job; removed again by ``remove_crash``."""

from __future__ import annotations

from django.db import connection


def fail_membership_insert(at: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE SEQUENCE test_enrol_batches;
            CREATE FUNCTION test_enrol_crash() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('test_enrol_batches') = {int(at)} THEN RAISE EXCEPTION 'simulated crash'; END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER test_enrol_crash BEFORE INSERT ON registry_membership
              FOR EACH STATEMENT EXECUTE FUNCTION test_enrol_crash();
            """
        )


def remove_crash() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER test_enrol_crash ON registry_membership; DROP FUNCTION test_enrol_crash();"
            " DROP SEQUENCE test_enrol_batches"
        )
