"""Screenshots of every tab for the docs, taken in a real headless Chromium.

``workbench docs screenshots`` runs this: the full app over the in-process echo mock,
Chromium's fake microphone speaking a fixture phrase, one real round trip per tab, and a
PNG of each (``screenshot_talk.png`` in the realtime mode, ``_talk_gradio`` in the
Gradio streaming mode, ``_file``, ``_settings``, ``_duplex``). The tests never write
these files: a test run leaves the tree as it found it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from workbench.app.server.headless import (
    AUDIO_DIR,
    CHROMIUM,
    MOCK_TTFA_MS,
    VAD_SILENCE_MS,
    launch_args,
    serve_in_thread,
    write_mic_wav,
)
from workbench.errors import ConfigError

#: Page size of every screenshot (CSS px).
VIEWPORT: Any = {"width": 1280, "height": 1000}
_WAIT_MS = 25_000


def demo_service() -> Any:
    """The echo mock with a known time to first audio; server VAD with a short silence."""
    from workbench.mock.config import LatencyModel, MockConfig
    from workbench.service import BackendResolver, SessionService
    from workbench.settings import RelaySettings

    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=MOCK_TTFA_MS))
    defaults = RelaySettings(
        vad_silence_ms=VAD_SILENCE_MS, mock_ttfa_ms=MOCK_TTFA_MS, mock_speed_x=1.0
    )
    return SessionService(resolver=BackendResolver(mock_base=mock), defaults=defaults)


def take_screenshots(out_dir: Path) -> list[Path]:
    """Write one PNG per tab into ``out_dir``; returns their paths.

    Raises
    ------
    ConfigError
        Playwright (test extras) or Debian's Chromium is missing.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ConfigError(
            "screenshots need Playwright: run scripts/setup.sh --test first"
        ) from None
    if not CHROMIUM.exists():
        raise ConfigError(f"screenshots need Chromium at {CHROMIUM} (apt-get install chromium)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_in_thread(demo_service()) as server,
        sync_playwright() as pw,
    ):
        mic = write_mic_wav(Path(tmp) / "mic.wav")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=launch_args(mic))
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server.url + "/")
            page.wait_for_selector("#talk-rt button.start", timeout=_WAIT_MS)
            written.append(_talk(page, out_dir))
            written.append(_talk_gradio(page, out_dir))
            written.append(_file(page, out_dir))
            written.append(_settings(page, out_dir))
            page.close()
            page = browser.new_page(viewport=VIEWPORT)
            written.append(_duplex(page, server.url, out_dir))
        finally:
            browser.close()
    return written


def _talk(page: Any, out_dir: Path) -> Path:
    """The realtime mode after two turns (the panel shows the second)."""
    page.click("#talk-rt button.start")
    page.wait_for_function(
        "() => document.querySelector('#talk-turn').innerText.includes('Turn 2')",
        timeout=2 * _WAIT_MS,
    )
    page.wait_for_timeout(1500)
    path = out_dir / "screenshot_talk.png"
    page.screenshot(path=str(path), full_page=True)
    page.click("#talk-rt button.stop")
    return path


def _talk_gradio(page: Any, out_dir: Path) -> Path:
    """The Gradio streaming mode once the page tap measured the first reply."""
    page.get_by_label("Gradio streaming (comparison)").check()
    page.wait_for_selector("#talk-start", state="visible", timeout=_WAIT_MS)
    page.click("#talk-start")
    page.wait_for_function(
        "() => /first audible \\d+ ms/.test(document.querySelector('#talk-turn').innerText)",
        timeout=2 * _WAIT_MS,
    )
    page.wait_for_timeout(1200)
    path = out_dir / "screenshot_talk_gradio.png"
    page.screenshot(path=str(path), full_page=True)
    page.click("#talk-stop")
    page.get_by_label("Realtime (low latency)").check()
    return path


def _file(page: Any, out_dir: Path) -> Path:
    page.get_by_role("tab", name="File").click()
    clip = AUDIO_DIR / "en_hello_44k1_aac_faststart.m4a"
    page.set_input_files("#file-clip input[type=file]", str(clip))
    page.wait_for_selector(
        "#file-clip audio, #file-clip wave, #file-clip .waveform-container",
        state="attached",
        timeout=_WAIT_MS,
    )
    page.click("#file-send")
    page.wait_for_function(
        "() => document.querySelector('#file-status').innerText.startsWith('Done')",
        timeout=_WAIT_MS,
    )
    page.wait_for_function(
        "() => /first audible \\d+ ms/.test(document.querySelector('#file-page').innerText)",
        timeout=_WAIT_MS,
    )
    page.wait_for_timeout(800)
    path = out_dir / "screenshot_file.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _settings(page: Any, out_dir: Path) -> Path:
    page.get_by_role("tab", name="Settings").click()
    page.locator("#set-chunk-ms input").fill("2")
    page.locator("#set-vad-threshold input").fill("1.5")
    page.click("#set-apply")
    page.wait_for_function(
        "() => document.querySelector('#set-message').innerText.includes('Not applied')",
        timeout=_WAIT_MS,
    )
    page.wait_for_timeout(300)
    path = out_dir / "screenshot_settings.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _duplex(page: Any, url: str, out_dir: Path) -> Path:
    page.goto(f"{url}/duplex?rate=24000&vad_silence_ms={VAD_SILENCE_MS}")
    page.click("#start")
    page.wait_for_function("() => window.duplex.turns.length >= 1", timeout=_WAIT_MS)
    page.wait_for_timeout(600)
    path = out_dir / "screenshot_duplex.png"
    page.screenshot(path=str(path), full_page=True)
    page.click("#stop")
    return path
