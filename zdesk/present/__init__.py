"""How the domain is said and shown, without Qt: severity styles, the Dutch words for the
domain's values, where in the portal a signalering is fixed, and what a person can do about each
error (one table for the app, the commands and their exit codes)."""
