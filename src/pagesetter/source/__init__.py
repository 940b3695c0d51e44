"""Reading the copy and layout sources: YAML with positions, articles, pictures."""
