"""workbench.bench: the benchmark suites (one module each) and their shared helpers."""

#: The suites that measure, in the order ``workbench bench all`` runs them (a new suite:
#: its module in workbench/bench and one line here).
MEASURING_SUITES = (
    "relay",
    "concurrency",
    "ttfa",
    "resample",
    "scaleout",
    "cost",
    "gc_pauses",
    "input_memory",
    "netem",
    "bargein",
    "soak",
)
#: The suites that attack a server or its parsers (not part of ``all``).
HOSTILE_SUITES = ("abuse", "fuzz")
