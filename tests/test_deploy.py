"""The team server's deploy/ folder: the compose file wires PostgreSQL, the migration step, the
app processes and the TLS proxy together, and holds no secret."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_compose_runs_the_migration_before_the_apps_and_publishes_only_the_proxy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    apps = [name for name in services if name.startswith("app")]
    assert len(apps) >= 2 and {"db", "migrate", "proxy"} <= set(services)
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "thematic migrate" in " ".join(services["migrate"]["command"])
    for name in apps:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "ports" not in services[name]
        assert services[name]["environment"]["THEMATIC_PROJECT"].startswith("postgresql+psycopg://")
    assert "ports" not in services["db"]
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert all(f"{name}:8501" in caddy for name in apps) and "lb_policy cookie" in caddy


def test_the_deploy_folder_holds_no_secret_and_the_app_shows_no_tracebacks() -> None:
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"postgresql\+psycopg://\w+:(?!\$\{|\*\*\*@)[^@\s]+@", text), path
    assert "POSTGRES_PASSWORD=\n" in (DEPLOY / "env.example").read_text(encoding="utf-8")
    config = tomllib.loads((DEPLOY / "streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"] == {"toolbarMode": "viewer", "showErrorDetails": "none"}
    assert config["server"]["enableXsrfProtection"] is True
