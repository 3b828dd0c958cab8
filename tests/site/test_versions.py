"""Versioned deployment with mike, through the real scripts/deploy, in a throw-away repository.

The project's mkdocs.yml, docs/ and overrides/ are copied into a temporary git repository (with
the project's .venv linked in), `scripts/deploy 0.1 latest` and then `scripts/deploy 0.2 latest`
run there, and the resulting gh-pages tree is served locally. The project's own branches are
never touched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from prodready_tools.server import SiteServer, make_server
from prodready_tools.site import ROOT, site_env
from support.browser import PageLog
from support.html import is_executable_script, parse

pytestmark = pytest.mark.site

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


@dataclass
class Deployment:
    repo: Path
    pages: Path  # the gh-pages tree, extracted
    server: SiteServer

    @property
    def url(self) -> str:
        return self.server.url


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def _real_branches() -> str:
    return subprocess.run(
        ["git", "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def _venv_is_current() -> bool:
    """Whether .venv was synced from this pyproject.toml and uv.lock (scripts/_lib.sh)."""
    check = 'source "$1/scripts/_lib.sh" && venv_is_current'
    return subprocess.run(["bash", "-c", check, "venv_is_current", str(ROOT)]).returncode == 0


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not _venv_is_current():
        # The copy below shares .venv; a deploy that syncs it would install the copy's project.
        pytest.fail(
            ".venv is older than pyproject.toml or uv.lock: run ./scripts/test, which syncs it"
        )
    before = _real_branches()
    base = tmp_path_factory.mktemp("mike")
    repo = base / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ["mkdocs.yml", "pyproject.toml", "uv.lock"]:
        shutil.copy2(ROOT / name, repo / name)
    for name in ["docs", "overrides", "engine/prodready_site"]:
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["deploy", "_lib.sh"]:
        shutil.copy2(ROOT / "scripts" / name, repo / "scripts" / name)
    # Same pyproject.toml and uv.lock + linked .venv: ensure_venv finds its stamp and installs nothing.
    (repo / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, **GIT_IDENTITY}
    _git(repo, "init", "-q", "-b", "main", env=env)
    (repo / ".git" / "info" / "exclude").write_text(".venv\nsite/\n", encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "docs", env=env)

    pages = base / "gh-pages"
    pages.mkdir()
    server = make_server(pages)
    for args in (["0.1", "latest"], ["0.2", "latest"]):
        proc = _deploy(repo, server.url, *args)
        assert proc.returncode == 0, f"deploy {args} failed:\n{proc.stdout}\n{proc.stderr}"
        assert proc.stdout == "", f"deploy is not quiet on success:\n{proc.stdout}"

    archive = base / "gh-pages.tar"
    _git(repo, "archive", "--format=tar", "-o", str(archive), "gh-pages")
    with tarfile.open(archive) as tar:
        tar.extractall(pages, filter="data")
    with server:
        yield Deployment(repo, pages, server)
    assert _real_branches() == before, "the project's branches changed"


def _deploy(repo: Path, site_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`scripts/deploy ARGS` run in the throw-away repository."""
    return subprocess.run(
        [str(repo / "scripts" / "deploy"), *args],
        cwd=repo,
        env={**site_env(site_url), **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _refresh_target(html: str) -> str:
    match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_versions_json_lists_both_versions(deployment: Deployment) -> None:
    versions = json.loads((deployment.pages / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "0.2", "title": "0.2", "aliases": ["latest"]},
        {"version": "0.1", "title": "0.1", "aliases": []},
    ]


def test_both_versions_are_served(deployment: Deployment) -> None:
    for version in ["0.1", "0.2"]:
        for path in ["", "faq/", "assessor/"]:
            status, html = _get(f"{deployment.url}{version}/{path}")
            assert status == 200, f"{version}/{path}"
            assert "Content-Security-Policy" in html


def test_latest_redirects_to_the_newest_version(deployment: Deployment) -> None:
    status, html = _get(deployment.url + "latest/")
    assert status == 200
    assert _refresh_target(html) == "../0.2/"
    status, html = _get(deployment.url + "latest/faq/")
    assert status == 200
    assert _refresh_target(html) == "../../0.2/faq/"
    _assert_only_the_hashed_script_runs(html)
    # The site root sends readers to the default version, "latest".
    status, html = _get(deployment.url)
    assert status == 200
    assert _refresh_target(html) == "latest/"


def _assert_only_the_hashed_script_runs(html: str) -> None:
    """A redirect page runs one inline script (it keeps the fragment), which its policy allows by
    its sha256, and nothing else: it fits the site's strict Content-Security-Policy."""
    elements = parse(html)
    scripts = [e for e in elements if is_executable_script(e)]
    assert len(scripts) == 1, scripts
    assert "src" not in scripts[0].attrs
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    (policy,) = [
        e.attrs["content"]
        for e in elements
        if e.attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    script_src = next(d for d in policy.split(";") if d.split()[0] == "script-src")
    assert script_src.split() == ["script-src", f"'sha256-{digest}'"], policy


def test_a_warning_stops_a_deploy_and_commits_nothing(deployment: Deployment) -> None:
    # mike builds without --strict of its own: mkdocs.yml makes its build strict when
    # scripts/deploy sets PRODREADY_STRICT. A page with a broken link must stop the deploy.
    page = deployment.repo / "docs" / "faq.md"
    text = page.read_text(encoding="utf-8")
    before = _git(deployment.repo, "rev-parse", "gh-pages")
    page.write_text(text + "\nSee [the gone page](no-such-page.md).\n", encoding="utf-8")
    try:
        proc = _deploy(deployment.repo, deployment.url, "0.3", "latest")
    finally:
        page.write_text(text, encoding="utf-8")
    assert proc.returncode != 0, proc.stdout
    assert "no-such-page.md" in proc.stderr
    assert "strict mode" in proc.stderr
    assert _git(deployment.repo, "rev-parse", "gh-pages") == before


def test_root_404_page_links_to_latest(deployment: Deployment) -> None:
    status, html = _get(deployment.url + "no/such/page/")
    assert status == 404
    assert 'href="/latest/"' in html
    assert not [e for e in parse(html) if is_executable_script(e)]
    # Each version keeps Material's own 404 page too.
    assert (deployment.pages / "0.1" / "404.html").is_file()


@pytest.mark.browser
def test_old_version_shows_the_banner_linking_to_the_same_page_in_latest(
    deployment: Deployment, page: Page, page_log: PageLog
) -> None:
    banner = page.locator("[data-md-component=outdated]")
    page.goto(deployment.url + "0.1/faq/", wait_until="networkidle")
    banner.wait_for(state="visible", timeout=10_000)
    link = banner.locator("[data-prodready-latest]")
    expect(link).to_have_attribute("href", deployment.url + "0.2/faq/")
    assert "old version" in banner.inner_text()
    # Instant navigation to another page keeps the banner, pointing at the new page.
    page.locator(".md-tabs__link", has_text="Assessor").click()
    page.wait_for_url("**/0.1/assessor/")
    banner.wait_for(state="visible", timeout=10_000)
    expect(link).to_have_attribute("href", deployment.url + "0.2/assessor/")
    assert not page_log.page_errors, page_log.page_errors

    page.goto(deployment.url + "0.2/faq/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert banner.is_hidden()
    assert not page_log.page_errors, page_log.page_errors


SHARED_ANSWERS = {"model_outputs": "research", "failure_impact": "learning"}


@pytest.mark.browser
@pytest.mark.parametrize("alias", ["latest/assessor/", ""], ids=["alias", "site-root"])
def test_a_share_link_through_a_redirect_keeps_its_answers(
    deployment: Deployment, page: Page, page_log: PageLog, alias: str
) -> None:
    # The assessor's share link (#a=1.<base64url of the answers>), opened through the `latest`
    # alias, or the site root that redirects to it: the answers arrive with the reader.
    encoded = base64.urlsafe_b64encode(json.dumps(SHARED_ANSWERS).encode()).decode()
    fragment = "#a=1." + encoded.rstrip("=")
    page.goto(deployment.url + alias + fragment)
    target = "0.2/assessor/" if alias else "0.2/"
    page.wait_for_url(deployment.url + target + fragment)
    if alias:
        page.wait_for_selector("#prodready-assessor[data-bound=true]")
        for question, value in SHARED_ANSWERS.items():
            assert page.is_checked(f"input[name={question}][value={value}]"), question
    assert not page_log.errors(), page_log.errors()  # no policy violation on the way
