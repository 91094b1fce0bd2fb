import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_describes_the_registry() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path in (
        "/api/v1/persons",
        "/api/v1/persons/{person_id}",
        "/api/v1/employers",
        "/api/v1/sponsors",
        "/api/v1/memberships",
    ):
        assert path in schema["paths"], path
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/persons"])
    assert "patch" in schema["paths"]["/api/v1/persons/{person_id}"]


def test_pages_default_to_indonesian() -> None:
    page = Client().get("/masuk/")
    assert "Kata sandi" in page.content.decode() and 'lang="id"' in page.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/masuk/")
    assert "Password" in english.content.decode()
