"""The platform: organization, users, ACL, settings, audit, activities, jobs, search, console shell, API root.

It imports no domain app; domain apps reach it through the registries in `accord.platform.registries`.
"""
