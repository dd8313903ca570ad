"""Use-cases: every read and write goes through a function here that takes the acting user."""
