import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from protocols.models import ProtocolVersion, StoredPdf
from tests.factories import SchoolFactory, StichtingFactory
from tests.seeds import SEEDS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_protocol_creates_a_draft_and_prints_its_id_and_sections():
    stichting = StichtingFactory(slug="klasse")
    output = run(
        "import_protocol", str(SEEDS / "003_092d0334a5f458af.txt"), "--organisation", "klasse"
    )
    version = ProtocolVersion.objects.get()
    assert (version.protocol.stichting, version.status, version.protocol.title) == (
        stichting,
        ProtocolVersion.Status.DRAFT,
        "Protocol sociale media",
    )
    assert output == (
        f"Version {version.pk} (Protocol sociale media, version 1): "
        f"{version.sections.count()} sections.\n"
    )


def test_import_protocol_twice_makes_version_two():
    StichtingFactory(slug="klasse")
    seed = str(SEEDS / "003_092d0334a5f458af.txt")
    run("import_protocol", seed, "--organisation", "klasse")
    ProtocolVersion.objects.update(status=ProtocolVersion.Status.ADOPTED)
    run("import_protocol", seed, "--organisation", "klasse")
    assert sorted(ProtocolVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_import_protocol_while_it_has_a_draft_is_refused():
    StichtingFactory(slug="klasse")
    seed = str(SEEDS / "003_092d0334a5f458af.txt")
    run("import_protocol", seed, "--organisation", "klasse")
    with pytest.raises(CommandError, match="al een concept van dit protocol"):
        run("import_protocol", seed, "--organisation", "klasse")
    assert ProtocolVersion.objects.count() == 1


def test_import_protocol_for_a_school_of_another_organisation_fails():
    StichtingFactory(slug="klasse")
    SchoolFactory(slug="lankforst")
    with pytest.raises(CommandError, match="No school 'lankforst' in organisation 'klasse'"):
        run(
            "import_protocol",
            str(SEEDS / "000_c237cc56de37393c.txt"),
            "--organisation",
            "klasse",
            "--school",
            "lankforst",
        )
    assert ProtocolVersion.objects.count() == 0


def test_import_protocol_refuses_other_file_types(tmp_path):
    StichtingFactory(slug="klasse")
    path = tmp_path / "protocol.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(CommandError, match="Only .txt and .docx files can be imported."):
        run("import_protocol", str(path), "--organisation", "klasse")


def test_protocol_pdf_writes_a_concept_pdf_for_a_school(tmp_path):
    school = SchoolFactory(stichting=StichtingFactory(slug="kopwerk"), name="De Zevensprong")
    run("import_protocol", str(SEEDS / "001_aa7da5d9f43e15ca.txt"), "--organisation", "kopwerk")
    version = ProtocolVersion.objects.get()
    target = tmp_path / "out.pdf"
    output = run("protocol_pdf", str(version.pk), "--output", str(target), "--school", school.slug)
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert output.startswith(f"Wrote {target} (")
    # The status is text; the CONCEPT mark itself is page decoration (see test_pdf.py).
    assert ("Protocol Sociale Media De Zevensprong" in text, "· Concept" in text) == (True, True)


def test_protocol_pdf_of_unknown_version_fails(tmp_path):
    with pytest.raises(CommandError, match="No protocol version with id 999."):
        run("protocol_pdf", "999", "--output", str(tmp_path / "x.pdf"))


def test_public_pdf_serves_the_stored_file_of_the_adopted_version(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = SchoolFactory(stichting=StichtingFactory(slug="amstelveen"), slug="amstelveen")
    run(
        "import_protocol",
        str(SEEDS / "002_c45c7279df106c2e.txt"),
        "--organisation",
        "amstelveen",
        "--school",
        "amstelveen",
    )
    version = ProtocolVersion.objects.get()
    version.status = ProtocolVersion.Status.ADOPTED
    version.save(update_fields=["status"])
    first = client.get(reverse("protocols:public_pdf", args=[school.slug]))
    second = client.get(reverse("protocols:public_pdf", args=[school.slug]))
    body = b"".join(first.streaming_content)
    assert (first["Content-Type"], StoredPdf.objects.count()) == ("application/pdf", 1)
    assert body == b"".join(second.streaming_content)
    assert "Social Media Protocol" in PdfReader(io.BytesIO(body)).pages[0].extract_text()
