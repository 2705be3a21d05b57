"""The deployment files stay valid: docker-compose.yml parses (Debian's docker-compose, no engine needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import ROOT

REQUIRED = {
    "SECRET_KEY": "s" * 50,
    "POSTGRES_PASSWORD": "pw",
    "EMAIL_URL": "smtp://mail.example.org:25",
    "SITE_HOST": "survey.example.org",
}


def _config(folder, *arguments: str, **environment: str) -> subprocess.CompletedProcess:
    docker_compose = shutil.which("docker-compose")
    assert docker_compose, "bin/test installs docker-compose"
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(
        [
            docker_compose,
            "--project-directory",
            str(folder),
            "-f",
            str(folder / "docker-compose.yml"),
            "config",
            *arguments,
        ],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_is_valid_with_every_service_and_volume():
    result = _config(ROOT, **REQUIRED)
    assert result.returncode == 0, result.stderr
    services = set(_config(ROOT, "--services", **REQUIRED).stdout.split())
    assert services == {"proxy", "web", "worker", "beat", "redis", "postgres"}
    assert set(_config(ROOT, "--volumes", **REQUIRED).stdout.split()) == {"var", "redis", "postgres"}
    # Every long-running service but beat has a health check; the web one asks /healthz.
    assert result.stdout.count("healthcheck:") == 4
    assert "/healthz" in result.stdout
    assert 'HTTPS: "true"' in result.stdout


def test_compose_refuses_to_start_without_the_secrets():
    result = _config(ROOT, **{k: v for k, v in REQUIRED.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "breakage",
    [
        lambda text: text.replace("services:", "servics:", 1),
        lambda text: text.replace("    healthcheck:\n      test:", "    healthcheck:\n      tset:", 1),
        lambda text: text.replace("    - var:/var/lib/rocbap", "    - var/var/lib/rocbap:x:y:z", 1),
        lambda text: text + "\n  : [unclosed\n",
    ],
)
def test_the_check_catches_a_broken_compose_file(tmp_path, breakage):
    # The same check on a damaged copy must fail, or the test above proves nothing.
    broken = breakage((ROOT / "docker-compose.yml").read_text())
    assert broken != (ROOT / "docker-compose.yml").read_text()
    (tmp_path / "docker-compose.yml").write_text(broken)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    assert _config(tmp_path, **REQUIRED).returncode != 0


def test_dockerfile_installs_what_weasyprint_needs_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    setup = (ROOT / "bin" / "setup.sh").read_text()
    pdf_packages = setup.split("PDF_PACKAGES=(", 1)[1].split(")", 1)[0].split()
    assert pdf_packages
    for package in pdf_packages:
        assert package in dockerfile
    assert "FROM python:3.11-slim-bookworm" in dockerfile
    assert "pip install --require-hashes -r requirements/runtime.txt" in dockerfile
    assert "collectstatic" in dockerfile


def _pins(lock: str) -> dict[str, tuple[str, int]]:
    """name -> (pinned version, number of hashes) of a lock file written by bin/lock."""
    pins = {}
    for requirement in (ROOT / "requirements" / lock).read_text().replace("\\\n", " ").splitlines():
        if requirement.strip() and not requirement.lstrip().startswith("#"):
            name, version = requirement.split()[0].split("==")
            pins[canonicalize_name(name)] = (version, requirement.count("--hash=sha256:"))
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("runtime.txt", ()), ("dev.txt", ("dev",))])
def test_lock_files_pin_every_dependency_of_pyproject_within_its_range(lock, extras):
    # A package added to pyproject.toml without running bin/lock would not be installed by bin/test or the image.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(r for extra in extras for r in project["optional-dependencies"][extra])]
    pins = _pins(lock)
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements/{lock}: run bin/lock"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version}: run bin/lock"
    assert all(hashes for _version, hashes in pins.values()), "every pinned package has its hashes"


def test_dev_lock_keeps_the_runtime_versions():
    runtime, dev = _pins("runtime.txt"), _pins("dev.txt")
    assert {name: pin[0] for name, pin in runtime.items()} == {name: dev[name][0] for name in runtime}
