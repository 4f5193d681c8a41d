"""Fictional data: the demo clinic of `make run` and the large clinic group of `make bench`."""
