"""Entity lists: the canonical frame, readers for list formats, the bundled default list."""
