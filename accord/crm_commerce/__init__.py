"""The bridge: an account for every commerce customer, the account strategy, lifetime sales value.

Installed exactly when both `crm` and `commerce` are; the only app that imports both.
"""
