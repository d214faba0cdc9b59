"""workbench.audio."""
