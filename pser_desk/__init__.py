"""pser_desk: the registration-centre client."""

__version__ = "0.1.0"
