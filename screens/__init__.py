"""The Textual interface of Progression."""
