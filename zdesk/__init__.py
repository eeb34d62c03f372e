"""zdesk: the Zermelo portal's formatie and roostergroepen at a glance, checked, and in Excel."""

# The one place the version lives; pyproject.toml and the packaging read it from here.
__version__ = "0.1.0"
