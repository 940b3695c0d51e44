"""``pagesetter serve`` in a real browser: Debian's chromium driven by Selenium.

Starts the server on a free loopback port on a copy of the demo project, then
checks what a designer sees: the page image, an edit appearing without a
reload, the frame panel, an error shown in the page, and the recovery.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers import demo_project

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)

pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="chromium and chromedriver are not installed "
                                       "(apt-get install chromium chromium-driver; .ci/run does)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    layout = demo_project(tmp_path)
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "pagesetter", "serve", "layouts/page3.yaml", "--port", str(port),
                             "--dpi", "60"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(url + "api/state", timeout=5).json()["version"] >= 1:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            assert proc.poll() is None, log.seek(0) or log.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, tmp_path, layout
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pagesetter-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, script, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_preview_in_chromium(server, browser):
    from selenium.webdriver.common.by import By

    url, project, layout = server
    browser.get(url)
    # 1. the demo page's image appears
    _wait(browser, "const i = document.querySelector('.page img.base'); return i && i.complete && i.naturalWidth > 0",
          "the page image")
    assert browser.find_element(By.ID, "status").text == "clean"
    assert "10-miluo" in browser.find_element(By.ID, "story-list").text
    assert browser.find_element(By.CSS_SELECTOR, "#downloads a.pdf").get_attribute("href").endswith("/pdf/0")

    # 2. an edit appears without a reload, and the scroll position stays
    browser.execute_script("window.__same_page = true; document.getElementById('pages').scrollTop = 300;")
    top = browser.execute_script("return document.getElementById('pages').scrollTop")
    assert top > 0
    before = browser.execute_script("return document.querySelector('.page').dataset.version")
    article = project / "articles" / "10-miluo.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("近日，", "近日，，", 1), encoding="utf-8")
    _wait(browser, f"return document.querySelector('.page').dataset.version !== '{before}'", "the edited page")
    assert browser.execute_script("return window.__same_page === true")
    assert browser.execute_script("return document.getElementById('pages').scrollTop") == top
    patched = browser.execute_script(
        "return [...document.querySelectorAll('.page img.patch')].every(i => i.complete && i.naturalWidth > 0)")
    assert patched
    # the proof shows first; the print PDF's event follows and redraws the frames: wait for it
    _wait(browser, "return window.__shown && !window.__shown.proof", "the print PDF's confirmation")

    # 3. clicking a frame opens the side panel with its story
    browser.find_element(By.ID, "overlay").click()
    frame = browser.find_element(By.CSS_SELECTOR, "rect.frame[data-frame='miluo']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", frame)
    frame.click()
    panel = browser.find_element(By.ID, "panel")
    _wait(browser, "return !document.getElementById('panel').hidden", "the side panel")
    text_shown = panel.text
    assert "10-miluo" in text_shown and "articles/10-miluo.md" in text_shown
    assert "lines available\n27" in text_shown and "overset characters\n0" in text_shown
    assert "empty lines" in text_shown

    # 4. a broken layout shows its error in the page; the last good page stays
    good = layout.read_text(encoding="utf-8")
    layout.write_text(good.replace("columns: 8", "columns: eight"), encoding="utf-8")
    _wait(browser, "return !document.getElementById('error').hidden", "the error")
    error = browser.find_element(By.ID, "error").text
    assert error.startswith("error: layouts/page3.yaml:") and "columns" in error, error
    assert browser.find_element(By.ID, "status").text == "error"
    assert browser.execute_script("return document.querySelector('.page img.base').naturalWidth > 0")
    assert not browser.find_elements(By.CSS_SELECTOR, "#downloads a.pdf")

    # 5. fixing it recovers
    layout.write_text(good, encoding="utf-8")
    _wait(browser, "return document.getElementById('error').hidden", "the recovery")
    assert browser.find_element(By.ID, "status").text == "clean"
    assert browser.find_elements(By.CSS_SELECTOR, "#downloads a.pdf")
    assert browser.execute_script("return window.__same_page === true")
