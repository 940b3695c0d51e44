"""Print production: press conditions, colour and ink, preflight of finished PDFs."""
