"""Writes of the CRM, one transaction each."""
