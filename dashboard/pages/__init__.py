"""The dashboard's pages: one module per page, each registering itself with dash.register_page."""
