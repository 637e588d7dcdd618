"""Storefront pages: thin faces (parse, ask the storefront ACL, call one commerce service, render)."""
