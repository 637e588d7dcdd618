"""The REST API root: one NinjaAPI at /api/v1/ that mounts the routers of installed apps."""
