"""CRM: accounts, contacts, contact groups, channels, business customers, leads, opportunities, forecast.

Never imports `accord.commerce`; other apps extend it through `accord.crm.registries`.
"""
