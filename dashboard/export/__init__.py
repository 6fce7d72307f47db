"""Exports for status reports: captions and file names, figure images, page images and PDFs, the lägesrapport."""
