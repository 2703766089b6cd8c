"""cooperation-showcase: validate a cooperation network's content and build its public showcase site."""

__version__ = "0.1.0"
