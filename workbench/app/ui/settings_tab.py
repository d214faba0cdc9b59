"""The Settings tab, derived from the settings declarations.

Each field's component, label, unit, range and help come from
:class:`~workbench.settings.RelaySettings`; *Apply* validates every value at once and
lists every problem with the labels shown on the page. Settings take effect at the
next session of this browser tab (Talk: Start; File: Send).
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any, Final

import gradio as gr

from workbench.app.ui.context import UiContext
from workbench.app.ui.render import backend_header_html, status_html
from workbench.service import SessionService
from workbench.settings import (
    RelaySettings,
    Setting,
    SettingsError,
    parse_values,
    spec_of,
)

#: The fields the tab shows, by column (everything else about them comes from the spec).
COLUMNS: Final[tuple[tuple[str, ...], ...]] = (
    ("backend_source", "voice", "instructions", "tools", "audio_format", "chunk_ms", "resampler"),
    ("turn_detection", "vad_threshold", "vad_prefix_padding_ms", "vad_silence_ms", "vad_eagerness"),
    ("mock_ttfa_ms", "mock_speed_x", "mock_jitter_ms"),
)
FIELDS: Final[tuple[str, ...]] = tuple(name for column in COLUMNS for name in column)


def header_html(service: SessionService, settings: RelaySettings) -> str:
    """The header line for ``settings``: which backend sessions will talk to."""
    info = service.resolver.backend_for(settings).info
    return backend_header_html(info.description, is_mock=info.is_mock, kind=info.kind)


def apply_settings(
    service: SessionService, current: RelaySettings, values: dict[str, Any]
) -> tuple[RelaySettings, str, str | None]:
    """Validate the tab's values, all at once.

    Returns
    -------
    tuple
        ``(settings, status_html, header_html)``: on success the new settings and a
        new header; otherwise the *unchanged* settings, an error status listing every
        bad value by its label, and None for the header.
    """
    try:
        new = dataclasses.replace(current, **parse_values(RelaySettings, values))
        service.check_settings(new)  # what the backend's service would refuse (voices …)
    except SettingsError as exc:
        items = "".join(f"<li>{html.escape(p.message)}</li>" for p in exc.problems)
        count = len(exc.problems)
        title = f"Not applied: {count} value{'s' if count > 1 else ''} to fix"
        return current, status_html(title, "error") + f"<ul class='wb-problems'>{items}</ul>", None
    return (
        new,
        status_html("Applied. The next session (Talk: Start; File: Send) uses these.", "info"),
        header_html(service, new),
    )


def _info(spec: Setting) -> str:
    accepted = spec.range_text()
    return f"{spec.help} ({accepted})" if accepted and spec.kind != "choice" else spec.help


def _component(spec: Setting, value: Any, service: SessionService) -> Any:
    elem_id = f"set-{spec.name.replace('_', '-')}"
    if spec.name == "backend_source":
        env_label = "Environment: " + service.resolver.describe(
            dataclasses.replace(service.defaults, backend_source="env")
        )
        return gr.Radio(
            [(env_label, "env"), ("Built-in mock", "mock")],
            value=value,
            label=spec.display,
            info=spec.help,
            elem_id=elem_id,
        )
    if spec.kind == "choice":
        return gr.Dropdown(
            list(spec.choices), value=value, label=spec.display, info=spec.help, elem_id=elem_id
        )
    if spec.kind == "text":
        lines = 3 if spec.name == "instructions" else 1
        return gr.Textbox(
            value,
            label=spec.display,
            info=_info(spec),
            lines=lines,
            placeholder="model default",
            elem_id=elem_id,
        )
    return gr.Number(
        value,
        label=spec.display,
        info=_info(spec),
        precision=0 if spec.kind == "int" else None,
        elem_id=elem_id,
    )


def build_settings_tab(ui: UiContext) -> None:
    """Lay out the Settings tab (inside an open ``gr.Blocks``) and wire *Apply*."""
    service = ui.service
    defaults = service.defaults
    components: list[Any] = []
    with gr.Tab("Settings", id="settings", elem_id="tab-settings"):
        gr.Markdown("Changes apply to the **next** session (Talk: Start; File: Send).")
        with gr.Row():
            for column in COLUMNS:
                with gr.Column():
                    if column[0].startswith("mock_"):
                        gr.Markdown("**Mock latency model** (built-in mock only)")
                    for name in column:
                        spec = spec_of(RelaySettings, name)
                        components.append(_component(spec, getattr(defaults, name), service))
        apply = gr.Button("Apply", variant="primary", elem_id="set-apply")
        message = gr.HTML(status_html("Defaults in use."), elem_id="set-message")

    def on_apply(current: RelaySettings, *values: Any) -> tuple[Any, ...]:
        new, status, head = apply_settings(service, current, dict(zip(FIELDS, values, strict=True)))
        if head is None:
            gr.Warning("Settings not applied: see the list on the Settings tab.")
            return current, status, gr.skip()
        return new, status, head

    apply.click(
        on_apply,
        [ui.settings, *components],
        [ui.settings, message, ui.header],
        show_progress="hidden",
    )
