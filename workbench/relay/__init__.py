"""workbench.relay."""
