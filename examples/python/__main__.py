"""Entry point for `pulumi up` in this directory."""
from quickstart import quickstart

quickstart()
