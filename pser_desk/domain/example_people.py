"""Who lives in an example household: relations, genders, ages and names (made up).

Used by :mod:`pser_desk.domain.example`. The names are common Punjabi given names and
family names in Latin script; any combination is fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MALE_NAMES = (
    "Muhammad", "Ahmed", "Ali", "Usman", "Bilal", "Imran", "Tariq", "Naveed", "Asif", "Khalid",
    "Zahid", "Shahid", "Rashid", "Sajid", "Waqas", "Hamza", "Faisal", "Kashif", "Nadeem", "Javed",
    "Akram", "Aslam", "Iqbal", "Rizwan", "Adnan", "Arslan", "Hassan", "Hussain", "Abdul Rehman", "Ghulam Rasool",
)  # fmt: skip
FEMALE_NAMES = (
    "Fatima", "Ayesha", "Zainab", "Maryam", "Khadija", "Amna", "Sadia", "Nasreen", "Shazia", "Rubina",
    "Samina", "Bushra", "Saima", "Nabila", "Rukhsana", "Parveen", "Shamim", "Kausar", "Iqra", "Hira",
    "Mehwish", "Sana", "Asma", "Razia", "Naseem", "Zubaida", "Sughran", "Hajra", "Anam", "Mahnoor",
)  # fmt: skip
FAMILY_NAMES = (
    "Khan", "Malik", "Butt", "Chaudhry", "Awan", "Rajput", "Jatt", "Arain", "Qureshi", "Sheikh",
    "Gujjar", "Bhatti", "Warraich", "Cheema", "Abbasi", "Mughal", "Ansari", "Baloch", "Sial", "Niazi",
)  # fmt: skip

MAX_MEMBERS = 9


@dataclass
class Person:
    relation: str  # "head" or a relation code of the roster
    gender: str
    age: int
    name: str = ""
    married: bool = False


def _name(rng: random.Random, gender: str, family: str) -> str:
    given = rng.choice(FEMALE_NAMES if gender == "female" else MALE_NAMES)
    if gender == "female" and rng.random() < 0.3:
        return f"{given} Bibi"
    return f"{given} {family}"


def plan_household(rng: random.Random) -> tuple[Person, list[Person]]:
    """A head and 1-9 members whose relations, genders and ages fit together."""
    family = rng.choice(FAMILY_NAMES)
    head = _head(rng)
    members: list[Person] = []
    spouse = _spouse(rng, head)
    if spouse:
        members.append(spouse)
    members.extend(_children(rng, head, spouse))
    members.extend(_elders(rng, head))
    members.extend(_in_laws_and_grandchildren(rng, head, members))
    if rng.random() < 0.15:
        members.append(_sibling(rng, head))
    if not members:
        members.append(_sibling(rng, head))
    members = members[:MAX_MEMBERS]
    taken: set[str] = set()
    for person in [head, *members]:
        person.name = _name(rng, person.gender, family)
        while person.name in taken:
            person.name = _name(rng, person.gender, family)
        taken.add(person.name)
    return head, members


def _head(rng: random.Random) -> Person:
    roll = rng.random()
    gender = "male" if roll < 0.82 else "female" if roll < 0.98 else "transgender"
    age = rng.randint(20, 78)
    married = gender != "transgender" and age >= 22 and rng.random() < 0.85
    return Person("head", gender, age, married=married)


def _spouse(rng: random.Random, head: Person) -> Person | None:
    if not head.married:
        return None
    if head.gender == "male":
        return Person("spouse", "female", max(18, head.age - rng.randint(0, 10)), married=True)
    return Person("spouse", "male", min(95, head.age + rng.randint(0, 8)), married=True)


def _children(rng: random.Random, head: Person, spouse: Person | None) -> list[Person]:
    if head.gender == "transgender" or head.age < 24:
        return []
    youngest_parent = min(head.age, spouse.age) if spouse else head.age
    oldest_child = min(head.age - 16, youngest_parent - 16)
    if oldest_child < 0:
        return []
    count = rng.randint(0, 6)
    ages = sorted({rng.randint(0, oldest_child) for _ in range(count)}, reverse=True)
    children = []
    for age in ages:
        gender = rng.choice(("male", "female"))
        relation = "son" if gender == "male" else "daughter"
        married = age >= 20 and rng.random() < 0.5
        children.append(Person(relation, gender, age, married=married))
    return [c for c in children if not (c.married and c.relation == "daughter")]


def _elders(rng: random.Random, head: Person) -> list[Person]:
    if head.age > 60 or rng.random() > 0.3:
        return []
    elders = []
    if rng.random() < 0.7:
        elders.append(Person("mother", "female", min(95, head.age + rng.randint(18, 35))))
    if rng.random() < 0.4:
        elders.append(Person("father", "male", min(98, head.age + rng.randint(22, 38))))
    return elders


def _in_laws_and_grandchildren(
    rng: random.Random, head: Person, members: list[Person]
) -> list[Person]:
    married_sons = [m for m in members if m.relation == "son" and m.married]
    if not married_sons:
        return []
    son = married_sons[0]
    extra = [
        Person("daughter_in_law", "female", max(18, son.age - rng.randint(0, 6)), married=True)
    ]
    oldest_grandchild = min(son.age - 18, head.age - 26)
    for _ in range(rng.randint(0, 3) if oldest_grandchild >= 0 else 0):
        gender = rng.choice(("male", "female"))
        relation = "grandson" if gender == "male" else "granddaughter"
        extra.append(Person(relation, gender, rng.randint(0, oldest_grandchild)))
    return extra


def _sibling(rng: random.Random, head: Person) -> Person:
    gender = rng.choice(("male", "female"))
    age = max(0, min(90, head.age + rng.randint(-10, 10)))
    return Person("brother" if gender == "male" else "sister", gender, age)
