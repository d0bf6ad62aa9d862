"""The API docs (/api/docs) run on our own static files: no CDN, no internet."""

import re

import pytest

pytestmark = pytest.mark.django_db

# Every address the page loads something from: src, href and url(...).
ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assets = ASSET.findall(page)
    assert assets, page
    for address in assets:
        assert address.startswith("/static/"), address
    # Not even a protocol-relative or absolute address elsewhere in the page.
    assert "//" not in re.sub(r"<!--.*?-->", "", page).replace("://", ""), page
    assert "cdn" not in page.lower()


def test_docs_assets_answer_from_our_static_files(client):
    page = client.get("/api/docs").content.decode()
    scripts = [a for a in ASSET.findall(page) if a.endswith(".js")]
    styles = [a for a in ASSET.findall(page) if a.endswith(".css")]
    assert any("swagger-ui-bundle" in a for a in scripts)
    assert styles
    for address in scripts + styles:
        response = client.get(address)
        assert response.status_code == 200, address
        assert b"".join(response.streaming_content).strip(), address


def test_swagger_does_not_call_the_public_validator(client):
    """Swagger UI asks validator.swagger.io about the schema unless told not to."""
    page = client.get("/api/docs").content.decode()
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>',
        page,
        re.DOTALL,
    )
    assert settings_json is not None
    assert '"validatorUrl": null' in settings_json.group(1)
