"""Build-time helpers of the book (cell tags, site metadata, reproduction records, PDF)."""
