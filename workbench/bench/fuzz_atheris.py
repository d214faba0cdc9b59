"""Coverage-guided fuzzing of one target with atheris (libFuzzer), in its own process.

``python -m workbench.bench.fuzz_atheris TARGET [libFuzzer options] CORPUS_DIR``.
The workbench modules are imported under atheris' instrumentation, so libFuzzer sees
which Python branches an input reached and keeps the inputs that reach new ones (the
C code of FFmpeg is not instrumented: for the decoder only our Python side guides it).
A :class:`~workbench.bench.fuzz_targets.Finding` is a crash to libFuzzer: it writes the
input to ``-artifact_prefix`` and exits non-zero. Findings whose signature is in
``WORKBENCH_FUZZ_KNOWN`` (``|``-separated) are already reported and are skipped.
``workbench bench fuzz`` runs this; it is not meant to be imported.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    """Fuzz ``argv[1]`` until libFuzzer's own options (``-max_total_time``) stop it."""
    import logging

    import atheris

    logging.getLogger("python_multipart").setLevel(logging.ERROR)  # a line per bad body

    # Our modules and the multipart parser (pure Python): instrumenting numpy, PyAV or
    # starlette as well costs ~30 s of start-up for little guidance.
    with atheris.instrument_imports(include=["workbench", "python_multipart"]):
        import workbench.app.api.multipart
        import workbench.app.api.ws_client_messages
        import workbench.audio
        import workbench.protocol.client_codec
        import workbench.protocol.session_codec  # noqa: F401
        from workbench.bench.fuzz_targets import TARGETS, Finding

    target = TARGETS[argv[1]]
    known = [s for s in os.environ.get("WORKBENCH_FUZZ_KNOWN", "").split("|") if s]

    def one_input(data: bytes) -> None:
        try:
            target.check(data)
        except Finding as finding:
            if not any(signature in finding.detail for signature in known):
                raise

    atheris.Setup([argv[0], *argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
