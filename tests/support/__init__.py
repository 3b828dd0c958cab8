"""Shared test helpers: a static server for the built site, site builds and Chromium set-up."""
