"""Claim extraction: `extract_claims(paper)` turns one Paper's abstract into Claims (see ANNOTATION.md)."""
