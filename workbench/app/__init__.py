"""workbench.app."""
