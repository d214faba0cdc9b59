"""Helpers shared by the test packages: servers, probing backends, signal measures."""
