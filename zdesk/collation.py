"""Dutch order for names and codes: accents do not move a name to the end (Émilie before Siëlle)."""

from __future__ import annotations

import unicodedata


def dutch_key(text: str) -> str:
    """A key that sorts text as a Dutch reader expects: case and accents ignored."""
    if text.isascii():  # most codes and many names: no work
        return text.casefold()
    bare = unicodedata.normalize("NFKD", text)
    return "".join(c for c in bare if not unicodedata.combining(c)).casefold()
