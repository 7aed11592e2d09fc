r"""``symsoft serve`` (issue 15): the page checks a pasted derivation in headless Chromium and shows (7) refuted
with its repair; the server keeps to loopback, refuses a body over its limit, answers requests side by side, and
its page loads nothing from another host."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from symsoft.cli import main
from symsoft.serve.app import STATIC, Limits, SymsoftServer

ROOT = Path(__file__).parent.parent
HOMEWORK = ROOT / "derivations" / "softmax_homework.md"
#: where the screenshot goes: the README's picture when SYMSOFT_SCREENSHOT names it (``docs/serve.png``), else a
#: temporary file, so that a test run never changes the repository
SCREENSHOT = os.environ.get("SYMSOFT_SCREENSHOT")
#: the repair of the homework's refuted (7), as the page shows it
REPAIR_7 = r"the second \sigma(z_i) should be \sigma(z_j)"
NOT_LOOPBACK = ["0.0.0.0", "192.168.1.10", "example.org", "::"]


@pytest.fixture(scope="module")
def server():
    """A server on a free loopback port, in this process (its checks still run in worker processes)."""
    running = SymsoftServer(("127.0.0.1", 0), Limits(workers=2))
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def _request(server, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _check(server, text: str) -> tuple[int, dict]:
    status, body = _request(server, "/api/check", json.dumps({"text": text}).encode(),
                            {"Content-Type": "application/json"})
    return status, json.loads(body)


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_a_host_other_than_loopback_is_a_usage_error(host, capsys):
    """--host outside loopback: one line on standard error, exit 2, nothing served."""
    assert main(["serve", "--host", host, "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith(f"symsoft serve: error: --host {host} is not a loopback")


def test_a_body_over_the_limit_gets_413(server):
    """300 kB of text is refused before it is read or checked."""
    status, body = _request(server, "/api/check", json.dumps({"text": "a" * 300_000}).encode(),
                            {"Content-Type": "application/json"})
    assert status == 413 and json.loads(body)["error"] == "the document is larger than 200 kB"


def test_a_negative_length_is_refused_without_reading(server):
    """Content-Length -1 would read until the client closes: it is refused at once."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    connection.putrequest("POST", "/api/check")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", "-1")
    connection.endheaders()
    assert connection.getresponse().status == 411
    connection.close()


def test_the_api_answers_the_report_and_its_html(server):
    """POST /api/check: the JSON report (7 refuted, its repair), the Jupyter HTML, the wrong term coloured."""
    status, answer = _check(server, HOMEWORK.read_text(encoding="utf-8"))
    assert status == 200 and answer["exit_code"] == 1 and answer["report"]["schema"] == "symsoft.check/1"
    (seven,) = [e for e in answer["report"]["equations"] if e["label"] == "7"]
    assert seven["status"] == "refuted" and seven["steps"][0]["repairs"][0]["edit"] == REPAIR_7
    assert "<b>(7)</b> line 40" in answer["html"]
    (view,) = [v for v in answer["views"] if v["label"] == "7"]
    assert r"- {\textcolor{#cf222e}{\sigma(z_i)}})" in view["steps"][0]["wrong_term_latex"]


def test_concurrent_requests_both_answer(server):
    """Two checks at once (two workers): both answer 200 with their own report."""
    texts = [r"$$\sigma(z_i) > 0 \quad (1)$$", r"$$\sigma(z_i) > 1 \quad (2)$$"]
    answers = [None, None]

    def run(i):
        answers[i] = _check(server, texts[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert [a[0] for a in answers] == [200, 200]
    assert [a[1]["report"]["equations"][0]["status"] for a in answers] == ["proved", "refuted"]


def test_every_checker_busy_gets_503(server):
    """With every worker taken, a check is refused at once rather than queued without bound."""
    for _ in range(server.limits.workers):
        server._slots.acquire()
    try:
        assert _check(server, "$$a = a$$")[0] == 503
    finally:
        for _ in range(server.limits.workers):
            server._slots.release()


def test_a_document_without_equations_is_one_line_422(server):
    """A document the checker cannot use: its error in one line, no traceback."""
    status, answer = _check(server, "no equations here")
    assert status == 422 and "\n" not in answer["error"] and "Traceback" not in answer["error"]


def test_another_host_name_and_paths_outside_static_are_refused(server):
    """DNS rebinding (a foreign Host header) gets 403; a path outside the static folder 404."""
    assert _request(server, "/", headers={"Host": "evil.example:80"})[0] == 403
    assert _request(server, "/../app.py")[0] == 404 and _request(server, "/api/check")[0] == 404


def test_the_page_loads_nothing_from_another_host(server):
    """The page and its own scripts and styles name no http(s) URL: KaTeX is served from the package."""
    status, page = _request(server, "/")
    assert status == 200
    for name in ("index.html", "page.js", "page.css", "katex/katex.min.css"):
        assert not re.search(r"https?://", (STATIC / name).read_text(encoding="utf-8")), name
    assert re.findall(rb'(?:src|href)="([^"]+)"', page) == [b"/katex/katex.min.css", b"/page.css",
                                                           b"/katex/katex.min.js", b"/page.js"]
    for path in ("/katex/katex.min.js", "/katex/katex.min.css", "/katex/fonts/KaTeX_Main-Regular.woff2"):
        assert _request(server, path)[0] == 200


def _chromium() -> str:
    """Chromium's path; skip without it, except in CI, where its absence is a failure."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture
def served_page():
    """``symsoft serve --port 0`` in a subprocess, and the address it prints."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "symsoft", "serve", "--port", "0"], stderr=subprocess.PIPE,
                               text=True, env=environment, cwd=ROOT)
    try:
        line = process.stderr.readline()
        found = re.match(r"symsoft serve: (http://127\.0\.0\.1:\d+/)", line)
        assert found, line
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(30)
        process.stderr.close()


def test_chromium_shows_7_refuted_with_its_repair(served_page, tmp_path):
    """Paste the homework, press Check: (7) is marked refuted, its repair and the corrected equation are shown."""
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else \
        __import__("playwright.sync_api", fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            foreign = []
            page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(served_page) else None)
            page.goto(served_page)
            page.fill("#document", HOMEWORK.read_text(encoding="utf-8"))
            page.click("#check")
            page.wait_for_selector("body[data-state=done]", timeout=120_000)
            seven = page.locator('.equation[data-label="7"]')
            assert seven.get_attribute("data-status") == "refuted"
            assert seven.locator(".repair .edit").inner_text() == REPAIR_7
            assert seven.locator(".repair .katex").count() == 1  # the corrected equation, typeset
            assert page.locator(".equation").count() == 9 and page.locator(".katex-error").count() == 0
            assert "5 proved, 2 refuted" in page.locator("#summary").inner_text()
            assert foreign == []
            seven.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOT or str(tmp_path / "serve.png"), clip={"x": 0, "y": seven.bounding_box()["y"] - 300,
                                                        "width": 1000, "height": 700})
        finally:
            browser.close()
