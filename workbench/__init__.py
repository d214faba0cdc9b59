"""realtime-workbench: relay core and shells for realtime voice models."""
