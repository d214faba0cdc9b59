"""workbench.backends."""
