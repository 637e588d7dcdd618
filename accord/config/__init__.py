"""Settings, URL routing, WSGI entry point and the `accord` command line."""
