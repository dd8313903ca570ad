"""Progression: career progression, learning and development records for children's social work teams."""

__version__ = "0.1.0"
