"""Question banks: loading and checking bank files, the question linter, planning helpers."""
