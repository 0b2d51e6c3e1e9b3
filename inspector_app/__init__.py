"""Kiểm tra công vụ — offline desktop app for civil-service inspection teams."""

__version__ = "0.1.0"
