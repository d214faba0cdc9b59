"""Fixtures of the browser tests: one workbench server and one Chromium per module, and a
fresh page of the Gradio app per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.browser_harness import (
    TAPS_JS,
    RunningServer,
    chromium_or_skip,
    launch_args,
    make_test_service,
    serve_in_thread,
    write_mic_wav,
)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """The full ``workbench serve`` app over the in-process echo mock, on 127.0.0.1."""
    with serve_in_thread(make_test_service()) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Headless Debian Chromium whose fake microphone speaks the fixture phrase."""
    chromium = chromium_or_skip()
    wav = write_mic_wav(tmp_path_factory.mktemp("mic") / "mic.wav")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=launch_args(wav))
        yield b
        b.close()


@pytest.fixture
def page(server: RunningServer, browser: Browser) -> Iterator[Page]:
    """The workbench's Gradio app with the test taps (``page_taps.js``), Talk tab ready."""
    pg = browser.new_page(viewport={"width": 1280, "height": 1000})
    pg.add_init_script(path=str(TAPS_JS))
    pg.goto(server.url + "/")
    pg.wait_for_selector("#talk-rt button.start", timeout=20_000)
    yield pg
    pg.close()
