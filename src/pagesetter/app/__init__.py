"""The user-facing commands: CLI, editions, watch, previews, reports."""
