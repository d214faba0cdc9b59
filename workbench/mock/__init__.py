"""workbench.mock."""
