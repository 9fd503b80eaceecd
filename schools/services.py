"""Operations that span several models of the schools app: loading the demo organisations."""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

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
    for org in data["organisations"]:
        stichting, _ = _get_or_create(
            Stichting,
            f"organisation {org['slug']}",
            created,
            {"name": org["name"]},
            slug=org["slug"],
        )
        for email in org.get("board", []):
            _get_or_create(
                Membership,
                f"board member {email}",
                created,
                user=users[email],
                role=Role.BOARD,
                stichting=stichting,
                school=None,
            )
        for school_data in org["schools"]:
            school, _ = _get_or_create(
                School,
                f"school {school_data['slug']}",
                created,
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
            _load_staff(school, school_data, users, groups, created)
            if "mr" in school_data:
                _load_council(stichting, school, school_data["mr"], users, created)
        if "gmr" in org:
            _load_council(stichting, None, org["gmr"], users, created)
    schools = [school for org in data["organisations"] for school in org["schools"]]
    groups = [group for school in schools for group in school["groups"]]
    return DemoSummary(
        organisations=len(data["organisations"]),
        schools=len(schools),
        groups=len(groups),
        pupils=sum(len(group["pupils"]) for group in groups),
        accounts=len(users),
        created=sum(created.values()),
    )


def _load_groups(school, school_data, users, created, *, today) -> dict[str, ClassGroup]:
    """This school year's groups of `school` with their pupils and guardians, by name."""
    groups = {}
    for group_data in school_data["groups"]:
        group, _ = _get_or_create(
            ClassGroup,
            f"group {group_data['name']} of {school.slug}",
            created,
            school=school,
            school_year=school_year_of(today),
            name=group_data["name"],
        )
        groups[group.name] = group
        for pupil_data in group_data["pupils"]:
            label = f"pupil {pupil_data['first_name']} {pupil_data['last_name']} of {school.slug}"
            # Ages are relative to the load day, so who is under 16 stays as documented.
            birth_date = _years_months_before(today, pupil_data["age"], pupil_data["months"])
            account = pupil_data.get("account")
            pupil, _ = _get_or_create(
                Pupil,
                label,
                created,
                {
                    "group": group,
                    "birth_date": birth_date,
                    "start_date": _start_date(school.sector, birth_date),
                    "user": users[account] if account else None,
                },
                school=school,
                first_name=pupil_data["first_name"],
                last_name=pupil_data["last_name"],
            )
            for guardian in pupil_data.get("guardians", []):
                _get_or_create(
                    Guardian,
                    f"guardian {guardian['person']} of {label}",
                    created,
                    {
                        "relation": guardian.get("relation", Guardian.Relation.PARENT),
                        "has_gezag": guardian["gezag"],
                    },
                    user=users[guardian["person"]],
                    pupil=pupil,
                )
    return groups


def _load_staff(school, school_data, users, groups, created) -> None:
    """Staff of `school` with the groups they teach, and the memberships that let them in."""
    for staff_data in school_data.get("staff", []):
        user = users[staff_data["person"]]
        label = f"staff member {staff_data['person']} of {school.slug}"
        for role in staff_data.get("roles", [Role.STAFF]):
            _get_or_create(
                Membership,
                label,
                created,
                user=user,
                role=role,
                stichting=school.stichting,
                school=school,
            )
        staff, new = _get_or_create(
            Staff,
            label,
            created,
            {
                "function": staff_data["function"],
                "start_date": date.fromisoformat(staff_data["since"]),
            },
            user=user,
            school=school,
        )
        if new:
            staff.groups.set([groups[name] for name in staff_data.get("groups", [])])


def _load_council(stichting, school, council_data, users, created) -> None:
    """An MR (with `school`) or GMR (without) and its members."""
    kind = Council.Kind.MR if school else Council.Kind.GMR
    council, _ = _get_or_create(
        Council,
        f"council {council_data['name']}",
        created,
        {"name": council_data["name"]},
        kind=kind,
        stichting=stichting,
        school=school,
    )
    for member in council_data["members"]:
        _get_or_create(
            CouncilMember,
            f"member {member['person']} of {council.name}",
            created,
            {
                "geleding": member["geleding"],
                "start_date": date.fromisoformat(council_data["since"]),
            },
            council=council,
            user=users[member["person"]],
        )


def _user(person: dict, created: Counter) -> User:
    """The demo person's account, with password "demo" when new."""
    user = User.objects.filter(email__iexact=person["email"]).first()
    if user is not None:
        return user
    user = User(
        email=person["email"], first_name=person["first_name"], last_name=person["last_name"]
    )
    user.set_password(DEMO_PASSWORD)
    _validate_and_save(user, f"person {person['email']}")
    created[User] += 1
    return user


def _get_or_create(model, label: str, created: Counter, defaults: dict | None = None, **lookup):
    """(row matching `lookup`, False), else (new validated row, True); never changes a row."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None:
        return obj, False
    obj = model(**lookup, **(defaults or {}))
    _validate_and_save(obj, label)
    created[model] += 1
    return obj, True


def _validate_and_save(obj, label: str) -> None:
    """full_clean() then save(); a failure names the demo item it came from."""
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
    """What is wrong in the demo data: unknown references, duplicate keys, misplaced members."""
    problems = []
    emails = [person["email"] for person in _people(data)]
    known = set(emails)
    _duplicates(problems, "Person", emails)
    problems += [
        f"Write e-mail {email} in lower case." for email in emails if email != email.lower()
    ]
    orgs = data["organisations"]
    schools = [school for org in orgs for school in org["schools"]]
    _duplicates(problems, "Organisation", [org["slug"] for org in orgs])
    _duplicates(problems, "School", [school["slug"] for school in schools])
    _duplicates(problems, "BRIN", [school["brin"] for school in schools])
    for org in orgs:
        _unknown_people(problems, f"Board of {org['slug']}", org.get("board", []), known)
        # GMR seats are open to the parents, staff and pupils of every school of the stichting.
        org_seats = {geleding: set() for geleding in CouncilMember.Geleding.values}
        for school in org["schools"]:
            seats = _school_problems(problems, school, known)
            for geleding, people in seats.items():
                org_seats[geleding] |= people
            if "mr" in school:
                _council_problems(problems, school["mr"], seats, known)
        if "gmr" in org:
            _council_problems(problems, org["gmr"], org_seats, known)
    return problems


def _school_problems(problems: list, school: dict, known: set) -> dict[str, set[str]]:
    """Check one school's groups, pupils and staff; return who may sit in each geleding."""
    where = f"School {school['slug']}"
    seats = {geleding: set() for geleding in CouncilMember.Geleding.values}
    _duplicates(problems, f"{where}: group", [group["name"] for group in school["groups"]])
    pupils = [pupil for group in school["groups"] for pupil in group["pupils"]]
    _duplicates(
        problems, f"{where}: pupil", [f"{p['first_name']} {p['last_name']}" for p in pupils]
    )
    for pupil in pupils:
        name = f"{where}: pupil {pupil['first_name']} {pupil['last_name']}"
        if pupil["age"] < ENTRY_AGE.get(school["sector"], 0) or pupil["months"] not in range(12):
            problems.append(f"{name}: age {pupil['age']} and {pupil['months']} months won't do.")
        guardians = [guardian["person"] for guardian in pupil.get("guardians", [])]
        _duplicates(problems, f"{name}: guardian", guardians)
        _unknown_people(problems, name, guardians, known)
        seats[CouncilMember.Geleding.PARENTS].update(guardians)
        if "account" in pupil:
            _unknown_people(problems, name, [pupil["account"]], known)
            seats[CouncilMember.Geleding.PUPILS].add(pupil["account"])
    staff = school.get("staff", [])
    _duplicates(problems, f"{where}: staff member", [member["person"] for member in staff])
    group_names = {group["name"] for group in school["groups"]}
    for member in staff:
        name = f"{where}: staff member {member['person']}"
        _unknown_people(problems, name, [member["person"]], known)
        problems += [
            f"{name}: unknown group {group}."
            for group in member.get("groups", [])
            if group not in group_names
        ]
        problems += [
            f"{name}: unknown role {role}."
            for role in member.get("roles", [])
            if role not in Role.values
        ]
        _check_date(problems, name, member["since"])
        seats[CouncilMember.Geleding.STAFF].add(member["person"])
    return seats


def _council_problems(problems: list, council: dict, seats: dict, known: set) -> None:
    """Each member must be a parent, staff member or pupil of the council's school(s)."""
    where = f"Council {council['name']}"
    _check_date(problems, where, council["since"])
    members = council["members"]
    _duplicates(problems, f"{where}: member", [member["person"] for member in members])
    _unknown_people(problems, where, [member["person"] for member in members], known)
    for member in members:
        person, geleding = member["person"], member["geleding"]
        if geleding not in seats:
            problems.append(f"{where}: {person} has unknown geleding {geleding}.")
        elif person in known and person not in seats[geleding]:
            problems.append(
                f"{where}: {person} sits for the {geleding} but is none of its school(s)' "
                f"{geleding}."
            )


def _duplicates(problems: list, what: str, keys: list) -> None:
    problems += [f"{what} {key} occurs {n} times." for key, n in Counter(keys).items() if n > 1]


def _unknown_people(problems: list, where: str, emails: list, known: set) -> None:
    problems += [f"{where}: unknown person {email}." for email in emails if email not in known]


def _check_date(problems: list, where: str, value) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: {value!r} is not a date like 2024-08-01.")


def readiness() -> int:
    """Ask the database a question and count the tasks waiting for a worker (0 with the
    immediate backend, which queues nothing). Raises DatabaseError when the database does
    not answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if settings.TASKS_BACKEND != "database":
        return 0
    return DBTaskResult.objects.ready().count()
