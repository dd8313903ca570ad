"""Tests of the terminal UI: Pilot tests of behaviour, and snapshots of how it looks."""
