"""workbench.bench."""
