"""Sub-commands of `zjtx`, one module per area; each defines register(subparsers)."""
