"""The synthetic demo county: names, places and sign-ins. Nothing here is a real person."""

import random

DEMO_PASSWORD = "demo-Early-help-2026"  # noqa: S105  (synthetic demo accounts only)
# One shared TOTP key for every demo account, so a newcomer can add it to an app once.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"

DISTRICTS = [
    "Amberford",
    "Brackenmoor",
    "Castlebridge",
    "Dunholme",
    "Eastwick Vale",
    "Fellside",
    "Greystone",
    "Harrowdale",
    "Ironbridge Marsh",
    "Kestrel Bay",
    "Larkhill",
    "Millbrook",
]
FIRST_NAMES_F = [
    "Amelia",
    "Aisha",
    "Bethany",
    "Chloe",
    "Daisy",
    "Ella",
    "Freya",
    "Grace",
    "Hana",
    "Isla",
    "Jasmine",
    "Kiera",
    "Layla",
    "Maya",
    "Nadia",
    "Olivia",
    "Poppy",
    "Ruby",
    "Sofia",
    "Zara",
]
FIRST_NAMES_M = [
    "Adam",
    "Ben",
    "Callum",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harvey",
    "Ibrahim",
    "Jack",
    "Kai",
    "Leo",
    "Mason",
    "Noah",
    "Oscar",
    "Reuben",
    "Samuel",
    "Theo",
    "Yusuf",
    "Zain",
]
LAST_NAMES = [
    "Ashdown",
    "Barraclough",
    "Cartwright",
    "Dunmore",
    "Entwistle",
    "Fairclough",
    "Greenhalgh",
    "Hargreaves",
    "Illingworth",
    "Jagger",
    "Kershaw",
    "Lomax",
    "Marsden",
    "Nuttall",
    "Ormerod",
    "Pilkington",
    "Quayle",
    "Rawcliffe",
    "Sutcliffe",
    "Tattersall",
    "Umpleby",
    "Vickers",
    "Whittaker",
    "Yardley",
    "Ahmed",
    "Begum",
    "Hussain",
    "Kowalski",
    "Nowak",
    "Okafor",
    "Mensah",
    "Singh",
    "Patel",
    "Chen",
    "O'Neill",
    "Murphy",
]
STREETS = [
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Weavers Row",
    "Moor View",
    "Canal Side",
    "Chapel Walk",
    "Brook Close",
    "Victoria Terrace",
    "Orchard Way",
    "Hill Crescent",
]
AGENCY_KINDS = [
    ("school", "{d} Primary School"),
    ("school", "{d} High School"),
    ("health", "{d} Health Visiting Team"),
    ("early_years", "{d} Nursery"),
]


def postcode(rng: random.Random, district_index: int) -> str:
    """Synthetic postcodes in the reserved-looking 'ZZ' area, so none is a real address."""
    return (
        f"ZZ{district_index + 1} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def household(rng: random.Random, district, district_index: int, *, numbers: int = 180):
    """A synthetic surname, and the name and address of a household with it in `district`
    (the fields of a cases.Family)."""
    last = rng.choice(LAST_NAMES)
    return last, {
        "name": f"{last} household",
        "address_line_1": f"{rng.randint(1, numbers)} {rng.choice(STREETS)}",
        "town": district.name,
        "postcode": postcode(rng, district_index),
        "district": district,
    }


def nhs_number(rng: random.Random) -> str:
    """A random 10-digit number that passes the NHS modulus 11 check."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def current_code() -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token():06d}"
