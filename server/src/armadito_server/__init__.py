"""armadito-server: the central server of armadito.fleet."""

__version__ = "1.0.0"
