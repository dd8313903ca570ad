"""`python -m progression` and the `progression` console script."""

from progression.cli import cli

if __name__ == "__main__":
    cli()
