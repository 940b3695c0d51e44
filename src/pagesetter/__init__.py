"""pagesetter: multi-column, print-ready PDF pages for Chinese newspapers."""

__version__ = "0.1.0"
