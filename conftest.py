# The fixtures for tests on the real PostgreSQL and Kafka live in the shared library.
pytest_plugins = ["weerbaar_platform.testing"]
