"""workbench.protocol."""
