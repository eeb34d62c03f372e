"""What a Dutch secondary school offers: afdelingen, opleidingen and subjects, for the generator."""

from __future__ import annotations

# Afdelingen in the order a vestiging has them; small schools take the first few. The first four
# give the pairs the anomalies need: same leerlaag (h4/v4) and next leerlaag (h4/h5).
DEPARTMENT_ORDER = (
    "h4",
    "v4",
    "h5",
    "v5",
    "h3",
    "v3",
    "m4",
    "m3",
    "h2",
    "v2",
    "h1",
    "v1",
    "v6",
    "m2",
    "m1",
    "mk4",
    "mk3",
    "mk2",
    "mk1",
    "g1",
    "g2",
    "g3",
    "g4",
    "g5",
    "g6",
    "bk1",
    "bk2",
    "bk3",
    "bk4",
    "hv1",
    "hv2",
)
EDUCATIONS = {
    "h": ["havo"],
    "v": ["vwo"],
    "g": ["gymnasium"],
    "m": ["mavo"],
    "mk": ["mavo", "vmbo-k"],
    "bk": ["vmbo-b", "vmbo-k"],
    "hv": ["havo", "vwo"],
}
VMBO = {"m", "mk", "bk"}
# The portal's ids of opleidingen and profielen (departmentsofbranches gives ids, not names).
EDUCATION_IDS = {
    name: 31 + i for i, name in enumerate(("havo", "vwo", "gymnasium", "mavo", "vmbo-k", "vmbo-b"))
}

LOWER_SUBJECTS = (
    ("netl", "Nederlands"),
    ("entl", "Engels"),
    ("fatl", "Frans"),
    ("dutl", "Duits"),
    ("wi", "Wiskunde"),
    ("gs", "Geschiedenis"),
    ("ak", "Aardrijkskunde"),
    ("bi", "Biologie"),
    ("nask", "Natuur- en scheikunde"),
    ("lo", "Lichamelijke opvoeding"),
    ("mu", "Muziek"),
    ("bv", "Beeldende vorming"),
    ("te", "Techniek"),
    ("men", "Mentoruur"),
)
UPPER_COMMON = (
    ("netl", "Nederlands"),
    ("entl", "Engels"),
    ("lo", "Lichamelijke opvoeding"),
    ("maat", "Maatschappijleer"),
    ("ckv", "Culturele en kunstzinnige vorming"),
    ("lob", "Loopbaanoriëntatie en -begeleiding"),
)
# Bovenbouw subjects planned on the stamklas itself (it carries them); the rest in lesgroepen.
UPPER_ON_MAIN_GROUP = ("maat", "ckv", "lob")
PROFILES_HV = (
    ("NT", "Natuur en Techniek"),
    ("NG", "Natuur en Gezondheid"),
    ("EM", "Economie en Maatschappij"),
    ("CM", "Cultuur en Maatschappij"),
)
PROFILES_VMBO = (("TECH", "Techniek"), ("ZW", "Zorg en Welzijn"), ("EO", "Economie en Ondernemen"))
PROFILE_IDS = {code: 61 + i for i, (code, _) in enumerate(PROFILES_HV + PROFILES_VMBO)}
ELECTIVES_HV = (
    ("wia", "Wiskunde A"),
    ("wib", "Wiskunde B"),
    ("na", "Natuurkunde"),
    ("sk", "Scheikunde"),
    ("bi", "Biologie"),
    ("ec", "Economie"),
    ("beco", "Bedrijfseconomie"),
    ("gs", "Geschiedenis"),
    ("ak", "Aardrijkskunde"),
    ("fatl", "Frans"),
    ("dutl", "Duits"),
    ("inf", "Informatica"),
    ("kubv", "Kunst beeldend"),
)
ELECTIVES_VMBO = (
    ("wi", "Wiskunde"),
    ("bi", "Biologie"),
    ("ec", "Economie"),
    ("nask1", "Natuurkunde"),
    ("nask2", "Scheikunde"),
    ("gs", "Geschiedenis"),
    ("ak", "Aardrijkskunde"),
    ("dutl", "Duits"),
    ("fatl", "Frans"),
)
# Onderbouw subjects taught in lesgroepen of their own; the rest is planned on the stamklas itself.
LOWER_LESSON_GROUPS = ("netl", "entl", "fatl", "dutl", "wi", "gs", "ak", "bi", "lo")
# Subjects that havo and vwo of one leerlaag share a group for (combined groups across afdelingen).
COMBINED_SUBJECTS = ("inf",)

CLASS_SIZE = 27  # split when a group would grow beyond this; the DOMAIN average is about 26
