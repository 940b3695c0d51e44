"""Building a page: threading stories through frames, headlines, furniture, galleys."""
