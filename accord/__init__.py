"""Accord: a CRM and a B2B commerce back office and storefront that work as one."""

__version__ = "0.1.0"
