"""The OpenAPI schema is generated without warnings and the docs work offline."""

import pytest
from django.core.management import call_command
from django.test import Client


def test_schema_generates_and_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/t/{tenant_slug}/organizations/" in schema


@pytest.mark.django_db
def test_swagger_and_redoc_use_vendored_assets():
    client = Client()
    for url in ("/api/docs/", "/api/redoc/"):
        content = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in content
        assert "cdn" not in content.lower()
    assert client.get("/api/schema/").status_code == 200


def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


ERROR_REF = {"$ref": "#/components/schemas/Error"}


def test_every_operation_documents_its_errors_in_the_one_error_shape():
    schema = _schema()
    for path, method, operation in _operations(schema):
        expected = {"401"}
        if "{tenant_slug}" in path:
            expected |= {"403", "404"}  # the role's permission; not a member, not in the tenant
        if method != "GET" or any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        if "requestBody" in operation:
            expected.add("415")
        for code in expected:
            assert operation["responses"][code]["content"]["application/json"]["schema"] == ERROR_REF, (
                method,
                path,
                code,
            )
    receipts = schema["paths"]["/api/v1/t/{tenant_slug}/funds/{fund_pk}/pledges/{id}/receipts/"]["post"]
    assert receipts["responses"]["422"]["content"]["application/json"]["schema"] == ERROR_REF  # Idempotency-Key
    assert "400" not in schema["paths"]["/api/v1/me/tenants/"]["get"]["responses"]  # nothing to get wrong


@pytest.mark.django_db
def test_real_error_bodies_match_the_documented_error_shape(world):
    import jsonschema

    schema = _schema()
    error = {"components": schema["components"], **ERROR_REF}
    client = world.manager.client
    url = f"/api/v1/t/{world.tenant_a.slug}/organizations/"
    invalid = client.post(url, {"kind": "puskesmas"}, content_type="application/json")
    missing = client.get(f"{url}999999/")
    refused = world.viewer.client.post(url, {"name": "X", "kind": "puskesmas"}, content_type="application/json")
    assert [invalid.status_code, missing.status_code, refused.status_code] == [400, 404, 403]
    for response in (invalid, missing, refused):
        jsonschema.validate(response.json(), error)
    assert "name" in invalid.json()["error"]["fields"]


def test_actions_answering_a_whole_list_are_documented_unpaged_and_unfiltered():
    paths = _schema()["paths"]
    t = "/api/v1/t/{tenant_slug}"
    whole_lists = [
        (f"{t}/agreements/{{id}}/timeline/", "get", "200"),
        (f"{t}/programs/{{id}}/achievement/", "get", "200"),
        (f"{t}/programs/{{id}}/add-spm/", "post", "201"),
        (f"{t}/indicators/{{id}}/target-revisions/", "get", "200"),
        (f"{t}/survey-rounds/{{id}}/responses/", "get", "200"),
        (f"{t}/survey-rounds/items/", "get", "200"),
    ]
    for path, method, code in whole_lists:
        operation = paths[path][method]
        assert operation["responses"][code]["content"]["application/json"]["schema"]["type"] == "array", path
        assert [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"] == [], path
    ledger = paths[f"{t}/funds/{{id}}/ledger/"]["get"]  # paged, without the funds' own filters
    assert {p["name"] for p in ledger["parameters"] if p["in"] == "query"} == {"page", "page_size"}
