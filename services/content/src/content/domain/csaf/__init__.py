"""CSAF 2.0 advisories: validation (schema + mandatory tests) and extraction."""
