"""Reads that several services share: the layer below the services that change things, so
that none of them needs another's commands to look something up."""
