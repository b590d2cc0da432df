"""The HTTP plumbing: legacy URL forms, body limit, JSON errors."""

import pytest

from armadito_server.http import normalize_path


@pytest.mark.parametrize(
    "path, prefix, expected",
    [
        ("/api/jobs", "", "/api/jobs"),
        ("/api/jobs/", "", "/api/jobs"),
        ("/api/jobs/index.php", "", "/api/jobs"),
        ("//api//jobs//", "", "/api/jobs"),
        ("/glpi/plugins/armadito//api/agents", "/glpi/plugins/armadito", "/api/agents"),
        ("/glpi/plugins/armadito/api/agents/index.php", "/glpi/plugins/armadito", "/api/agents"),
        ("/glpi/plugins/armadito-other/api/agents", "/glpi/plugins/armadito", "/glpi/plugins/armadito-other/api/agents"),
        ("/", "", "/"),
    ],
)
def test_normalize_path(path, prefix, expected):
    assert normalize_path(path, prefix) == expected


def test_healthz_answers_on_every_legacy_form(server):
    for path in ("/healthz", "/healthz/", "/healthz/index.php", "/healthz//"):
        response = server.get(path)
        assert response.status_code == 200, path
        assert response.json() == {"status": "ok"}


def test_unknown_path_is_a_json_404(server):
    response = server.get("/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json()


def test_body_over_the_limit_gets_413(server):
    response = server.post("/healthz", data=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "limit" in response.json()["error"]
