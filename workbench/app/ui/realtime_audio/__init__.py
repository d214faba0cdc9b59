"""A Gradio custom component for low-latency realtime voice: :class:`RealtimeAudio`.

Layout: ``component.py`` (the Gradio class; Gradio writes ``component.pyi`` next to it
with the event methods' signatures), ``props.py`` (settings, checked with the API's
parser), ``payloads.py`` (what the browser reports, parsed and bounded),
``event_data.py`` (typed ``gr.EventData`` for handlers), ``build_stamp.py`` (is the built
frontend current?), ``templates/`` (the built frontend, committed; rebuilt by
``scripts/build_component.sh`` from ``frontend/realtime_audio/``).

Only component classes may be importable from this module: Gradio's frontend build
looks at its names for components to build.
"""

from workbench.app.ui.realtime_audio.component import RealtimeAudio

__all__ = ["RealtimeAudio"]
