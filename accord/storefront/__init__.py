"""The buyers' storefront and its API, over commerce services. Never imports `accord.crm`."""
