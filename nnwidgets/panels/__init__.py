"""Panels: one module each, a State (traitlets, drivable without a browser) and a view."""
