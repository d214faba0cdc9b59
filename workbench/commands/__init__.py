"""Sub-commands of the ``workbench`` CLI (each module: ``register(subparsers)``)."""
