"""Operations that span several models of the schools app: loading the demo organisations."""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from schools.models import (
    ClassGroup,
    Council,
    CouncilMember,
    Guardian,
    Membership,
    Pupil,
    Role,
    School,
    Staff,
    Stichting,
    User,
    school_year_of,
)

DEMO_PASSWORD = "demo"  # noqa: S105 (published in fixtures/README.md on purpose)

# Pupils start primary school on their fourth birthday and secondary school at about twelve.
ENTRY_AGE = {School.Sector.PO: 4, School.Sector.SO: 4, School.Sector.VO: 12}


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    schools: int
    groups: int
    pupils: int
    accounts: int
    created: int  # rows this run added, over all models; 0 when the demo was already there


@transaction.atomic
def load_demo(data: dict, *, today: date) -> DemoSummary:
    """Create the demo in `data` (see fixtures/demo.json); rows that exist are left untouched."""
    problems = _demo_problems(data)
    if problems:
        raise ValidationError(problems)
    created = Counter()
    users = {person["email"]: _user(person, created) for person in _people(data)}
    group_count = pupil_count = 0
    for org in data["organisations"]:
        stichting = _get_or_create(
            Stichting, f"organisation {org['slug']}", created, {"name": org["name"]},
            slug=org["slug"],
        )
        for email in org.get("board", []):
            _get_or_create(
                Membership, f"board member {email}", created,
                user=users[email], role=Role.BOARD, stichting=stichting, school=None,
            )
        for school_data in org["schools"]:
            school = _get_or_create(
                School, f"school {school_data['slug']}", created,
                {
                    "stichting": stichting,
                    "name": school_data["name"],
                    "brin": school_data["brin"],
                    "sector": school_data["sector"],
                    "city": school_data.get("city", ""),
                },
                slug=school_data["slug"],
            )
            groups = _load_groups(school, school_data, users, created, today=today)
            group_count += len(groups)
            pupil_count += sum(len(group["pupils"]) for group in school_data["groups"])
            _load_staff(school, school_data, users, groups, created)
            if "mr" in school_data:
                _load_council(Council.Kind.MR, stichting, school, school_data["mr"], users, created)
        if "gmr" in org:
            _load_council(Council.Kind.GMR, stichting, None, org["gmr"], users, created)
    return DemoSummary(
        organisations=len(data["organisations"]),
        schools=sum(len(org["schools"]) for org in data["organisations"]),
        groups=group_count,
        pupils=pupil_count,
        accounts=len(users),
        created=sum(created.values()),
    )


def _load_groups(school, school_data, users, created, *, today) -> dict[str, ClassGroup]:
    """This year's groups of `school` with their pupils and guardians, by group name."""
    groups = {}
    for group_data in school_data["groups"]:
        name = group_data["name"]
        group = _get_or_create(
            ClassGroup, f"group {name} of {school.slug}", created,
            school=school, school_year=school_year_of(today), name=name,
        )
        groups[name] = group
        for pupil_data in group_data["pupils"]:
            label = f"pupil {pupil_data['first_name']} {pupil_data['last_name']} of {school.slug}"
            birth_date = _years_months_before(today, pupil_data["age"], pupil_data["months"])
            account = pupil_data.get("account")
            pupil = _get_or_create(
                Pupil, label, created,
                {
                    "group": group,
                    "birth_date": birth_date,
                    "start_date": _start_date(school.sector, birth_date),
                    "user": users[account] if account else None,
                },
                school=school, first_name=pupil_data["first_name"],
                last_name=pupil_data["last_name"],
            )
            for guardian in pupil_data.get("guardians", []):
                _get_or_create(
                    Guardian, f"guardian {guardian['person']} of {label}", created,
                    {
                        "relation": guardian.get("relation", Guardian.Relation.PARENT),
                        "has_gezag": guardian["gezag"],
                    },
                    user=users[guardian["person"]], pupil=pupil,
                )
    return groups


def _load_staff(school, school_data, users, groups, created) -> None:
    """Staff records of `school` with their groups, and the memberships that let them log in."""
    for staff_data in school_data.get("staff", []):
        user = users[staff_data["person"]]
        label = f"staff member {staff_data['person']} of {school.slug}"
        for role in staff_data.get("roles", [Role.STAFF]):
            _get_or_create(
                Membership, label, created,
                user=user, role=role, stichting=school.stichting, school=school,
            )
        if not Staff.objects.filter(user=user, school=school).exists():
            staff = _get_or_create(
                Staff, label, created,
                {
                    "function": staff_data["function"],
                    "start_date": date.fromisoformat(staff_data["since"]),
                },
                user=user, school=school,
            )
            staff.groups.set([groups[name] for name in staff_data.get("groups", [])])


def _load_council(kind, stichting, school, council_data, users, created) -> None:
    council = _get_or_create(
        Council, f"{kind.upper()} {council_data['name']}", created, {"name": council_data["name"]},
        kind=kind, stichting=stichting, school=school,
    )
    for member in council_data["members"]:
        _get_or_create(
            CouncilMember, f"member {member['person']} of {council_data['name']}", created,
            {
                "geleding": member["geleding"],
                "start_date": date.fromisoformat(council_data["since"]),
            },
            council=council, user=users[member["person"]],
        )


def _user(person: dict, created: Counter) -> User:
    user = User.objects.filter(email__iexact=person["email"]).first()
    if user is not None:
        return user
    user = User(email=person["email"], first_name=person["first_name"], last_name=person["last_name"])
    user.set_password(DEMO_PASSWORD)
    _validate_and_save(user, f"person {person['email']}")
    created[User] += 1
    return user


def _get_or_create(model, label: str, created: Counter, defaults: dict | None = None, **lookup):
    """The row matching `lookup`, else a new one, validated first; existing rows never change."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None:
        return obj
    obj = model(**lookup, **(defaults or {}))
    _validate_and_save(obj, label)
    created[model] += 1
    return obj


def _validate_and_save(obj, label: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            details = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
        else:
            details = " ".join(error.messages)
        raise ValidationError(f"Demo {label}: {details}") from error
    obj.save()


def _years_months_before(day: date, years: int, months: int) -> date:
    """The date `years` and `months` before `day`; a missing day becomes the month's last."""
    year, month = divmod(day.year * 12 + day.month - 1 - years * 12 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _start_date(sector: str, birth_date: date) -> date:
    """When a pupil born on `birth_date` started: PO on the 4th birthday, VO on 1 August."""
    entry_birthday = _years_months_before(birth_date, -ENTRY_AGE[sector], 0)
    if sector == School.Sector.VO:
        return date(int(school_year_of(entry_birthday)[:4]), 8, 1)
    return entry_birthday


def _people(data: dict) -> list[dict]:
    return [person for org in data["organisations"] for person in org.get("people", [])]


def _demo_problems(data: dict) -> list[str]:
    """What is wrong in the demo data: unknown references and duplicate natural keys."""
    problems = []
    emails = Counter(person["email"] for person in _people(data))
    problems += [f"Person {email} is listed {n} times." for email, n in emails.items() if n > 1]
    problems += [f"Write e-mail {email} in lower case." for email in emails if email != email.lower()]

    def check_person(email, where):
        if email not in emails:
            problems.append(f"{where}: unknown person {email}.")

    def check_unique(keys, what):
        problems.extend(f"{what} {key} occurs twice." for key, n in Counter(keys).items() if n > 1)

    orgs = data["organisations"]
    schools = [school for org in orgs for school in org["schools"]]
    check_unique([org["slug"] for org in orgs], "Organisation")
    check_unique([school["slug"] for school in schools], "School")
    check_unique([school["brin"] for school in schools], "BRIN")
    for org in orgs:
        for email in org.get("board", []):
            check_person(email, f"Board of {org['slug']}")
        # Who may sit in which geleding of the GMR: people of any school of the stichting.
        org_seats = {geleding: set() for geleding in CouncilMember.Geleding.values}
        for school in org["schools"]:
            seats = _school_problems(school, check_person, check_unique, problems)
            for geleding, people in seats.items():
                org_seats[geleding] |= people
            if "mr" in school:
                _council_problems(school["mr"], seats, check_person, check_unique, problems)
        if "gmr" in org:
            _council_problems(org["gmr"], org_seats, check_person, check_unique, problems)
    return problems


def _school_problems(school, check_person, check_unique, problems) -> dict[str, set[str]]:
    """Check one school's groups, pupils and staff; return who may sit in each geleding."""
    where = f"School {school['slug']}"
    seats = {geleding: set() for geleding in CouncilMember.Geleding.values}
    check_unique([group["name"] for group in school["groups"]], f"{where}: group")
    pupils = [pupil for group in school["groups"] for pupil in group["pupils"]]
    check_unique(
        [f"{pupil['first_name']} {pupil['last_name']}" for pupil in pupils], f"{where}: pupil"
    )
    for pupil in pupils:
        name = f"{where}: pupil {pupil['first_name']} {pupil['last_name']}"
        if pupil["age"] < ENTRY_AGE.get(school["sector"], 0) or pupil["months"] not in range(12):
            problems.append(f"{name}: age {pupil['age']} and {pupil['months']} months won't do.")
        if "account" in pupil:
            check_person(pupil["account"], name)
            seats[CouncilMember.Geleding.PUPILS].add(pupil["account"])
        check_unique([guardian["person"] for guardian in pupil.get("guardians", [])], name)
        for guardian in pupil.get("guardians", []):
            check_person(guardian["person"], name)
            seats[CouncilMember.Geleding.PARENTS].add(guardian["person"])
    check_unique([staff["person"] for staff in school.get("staff", [])], f"{where}: staff")
    group_names = {group["name"] for group in school["groups"]}
    for staff in school.get("staff", []):
        name = f"{where}: staff member {staff['person']}"
        check_person(staff["person"], name)
        problems.extend(
            f"{name}: unknown group {group}." for group in staff.get("groups", [])
            if group not in group_names
        )
        problems.extend(
            f"{name}: unknown role {role}." for role in staff.get("roles", [])
            if role not in Role.values
        )
        _check_date(staff["since"], name, problems)
        seats[CouncilMember.Geleding.STAFF].add(staff["person"])
    return seats


def _council_problems(council, seats, check_person, check_unique, problems) -> None:
    """Members must exist and belong to their geleding: parents, staff or pupils of the schools."""
    where = f"Council {council['name']}"
    _check_date(council["since"], where, problems)
    check_unique([member["person"] for member in council["members"]], f"{where}: member")
    for member in council["members"]:
        check_person(member["person"], where)
        if member["geleding"] not in seats:
            problems.append(f"{where}: unknown geleding {member['geleding']}.")
        elif member["person"] not in seats[member["geleding"]]:
            problems.append(
                f"{where}: {member['person']} is not one of the {member['geleding']} "
                f"of its school(s), so cannot sit in that geleding."
            )


def _check_date(value, where, problems) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: {value!r} is not a date like 2024-08-01.")
