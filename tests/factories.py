"""One small factory per model, with no surprising defaults."""

from datetime import date

import factory

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
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    password = factory.django.Password(PASSWORD)


class StichtingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stichting

    name = factory.Sequence(lambda n: f"Stichting {n}")
    slug = factory.Sequence(lambda n: f"stichting-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    stichting = factory.SubFactory(StichtingFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    brin = factory.Sequence(
        lambda n: f"{n % 100:02d}{chr(65 + n // 2600 % 26)}{chr(65 + n // 100 % 26)}"
    )
    sector = School.Sector.PO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.DIRECTOR
    school = factory.SubFactory(SchoolFactory)
    stichting = factory.LazyAttribute(lambda m: m.school.stichting if m.school else None)


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    school_year = "2026-2027"


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    group = None
    first_name = factory.Sequence(lambda n: f"Leerling{n}")
    last_name = "de Vries"
    birth_date = date(2017, 5, 1)
    start_date = date(2021, 8, 23)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    user = factory.SubFactory(UserFactory)
    pupil = factory.SubFactory(PupilFactory)
    has_gezag = True


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    function = "leerkracht"
    start_date = date(2020, 8, 1)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    kind = Council.Kind.MR
    school = factory.SubFactory(SchoolFactory)
    stichting = factory.LazyAttribute(lambda c: c.school.stichting)
    name = factory.Sequence(lambda n: f"MR {n}")


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    geleding = CouncilMember.Geleding.PARENTS
    start_date = date(2024, 8, 1)


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocols.Protocol"

    stichting = factory.SubFactory(StichtingFactory)
    school = None
    title = "Protocol sociale media"


class ProtocolVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocols.ProtocolVersion"

    protocol = factory.SubFactory(ProtocolFactory)
    number = factory.Sequence(lambda n: n + 1)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocols.Section"

    version = factory.SubFactory(ProtocolVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Paragraaf {n}")
    body = "Tekst van de paragraaf."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.Category"

    stichting = factory.SubFactory(StichtingFactory)
    code = factory.Sequence(lambda n: f"categorie-{n}")
    name = factory.Sequence(lambda n: f"Categorie {n}")
    definition = "Omschrijving van de categorie."


def _now():
    from django.utils import timezone

    return timezone.now()


class IncidentFactory(factory.django.DjangoModelFactory):
    """A report as the workflow leaves it, without routing; use `workflow.report` to route."""

    class Meta:
        model = "incidents.Incident"
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    reported_by = factory.SubFactory(UserFactory)
    reporter_kind = "staff"
    occurred_at = factory.LazyFunction(lambda: _now())
    place = "online"
    platform = "whatsapp"
    description = "Er werd een kwetsend bericht gedeeld."

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def routed_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.routed_to.set(extracted)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.Involvement"

    incident = factory.SubFactory(IncidentFactory)
    role = "victim"
    kind = "pupil"
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..incident.school"))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.Measure"

    incident = factory.SubFactory(IncidentFactory)
    audience = "pupil"
    kind = "talk"
    starts_on = date(2026, 9, 14)


# --- consent ----------------------------------------------------------------------------------


class PurposeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.Purpose"

    stichting = factory.SubFactory(StichtingFactory)
    school = None
    name = factory.Sequence(lambda n: f"Website {n}")
    slug = factory.Sequence(lambda n: f"website-{n}")
    channel = "authenticated"
    audience = "pupils"


class PurposeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.PurposeVersion"

    purpose = factory.SubFactory(PurposeFactory)
    number = 1
    text = "Foto's van je kind op de website van de school."
    material = True


class ActivityRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.ActivityRequest"
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    title = "Avondvierdaagse"
    text = "Mag je kind meelopen en op de foto?"
    deadline = date(2026, 5, 1)

    @factory.post_generation
    def pupils(self, create, extracted, **kwargs):
        if create and extracted:
            self.pupils.set(extracted)
