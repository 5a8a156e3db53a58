"""Moving records between partnerships: JSON bundles and sealed (encrypted) files."""
