"""imf's own tests use the same test kit that plugin authors get."""

pytest_plugins = ["imf.testing"]
