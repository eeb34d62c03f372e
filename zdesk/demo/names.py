"""Name material for generated students and schools: Dutch, with real-world diacritics."""

from __future__ import annotations

FIRST_NAMES = (
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Milan",
    "Noah",
    "Jesse",
    "Bram",
    "Thijs",
    "Luuk",
    "Ruben",
    "Sven",
    "Jayden",
    "Mohamed",
    "Yusuf",
    "Ömer",
    "Daniël",
    "Noël",
    "Jesús",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Nora",
    "Fleur",
    "Lotte",
    "Anna",
    "Eva",
    "Noor",
    "Liv",
    "Émilie",
    "Chloë",
    "Anaïs",
    "Mónica",
    "Fatima",
    "Aïcha",
    "Sanne",
    "Femke",
    "Iris",
    "Lieke",
    "Jade",
    "Yara",
    "Ilse",
    "Maud",
    "Ben",
    "Gijs",
)

LAST_NAMES = (
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van der Heijden",
    "Schouten",
    "Çelik",
    "Yılmaz",
    "Öztürk",
    "Ñúñez",
    "Müller",
    "El Amrani",
    "Nguyễn",
    "'t Hooft",
    "in 't Veld",
    "Hoekstra",
)

# Tussenvoegsels are split off the last name the way the portal stores them.
PREFIXES = ("van den", "van der", "in 't", "van", "de", "'t", "ter", "den")

BRANCHES = (
    ("NRD", "Noord"),
    ("ZUI", "Zuid"),
    ("CEN", "Centrum"),
    ("OOS", "Oost"),
    ("WES", "West"),
    ("HAV", "Havenkwartier"),
    ("BOS", "Bosrand"),
    ("DIJ", "Dijkzicht"),
    ("MOL", "Molenwijk"),
    ("KAN", "Kanaalzijde"),
    ("VEL", "Veldhoven"),
    ("BRU", "Brugpoort"),
)

SCHOOL_NAME = "Scholengemeenschap De Vaart"


def split_prefix(last_name: str) -> tuple[str | None, str]:
    """Split 'van den Berg' into ('van den', 'Berg'); names without a tussenvoegsel keep None."""
    for prefix in PREFIXES:
        if last_name.startswith(prefix + " "):
            return prefix, last_name[len(prefix) + 1 :]
    return None, last_name
