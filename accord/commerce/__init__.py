"""Commerce back office: customer hierarchies, customer users and roles, products, shopping lists,
RFQs, quotes and orders. Never imports `accord.crm`; it announces what happens in `signals.py`.
"""
