"""Uploaded files are checked before they are parsed: zip bombs, encrypted and odd files, and
text in the encodings Word and Notepad save, each refused or read with a clear Dutch message."""

import io
import time
import tracemalloc
import zipfile

import docx
import pytest
from django.urls import reverse

from protocols import importer
from protocols.importer import ImportRefused, check_docx, decode_text, import_file
from tests.protocols.helpers import zip_bomb_docx


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Protocol sociale media")
    document.add_heading("Inleiding", level=1)
    document.add_paragraph("Dit is de tekst.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_within_a_second_and_little_memory():
    bomb = zip_bomb_docx()  # about 500 KB that unpacks to 500 MB
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match="unpacks to far more than its size"):
        import_file("protocol.docx", bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(bomb) < 1024 * 1024
    assert elapsed < 1
    assert peak < 10 * 1024 * 1024


def test_docx_too_large_once_unpacked_is_refused():
    # Forty parts under 1 MB each pass the ratio check, but together unpack to 36 MB.
    parts = {f"word/media/image{n}.xml": b"\0" * 900 * 1024 for n in range(40)}
    with pytest.raises(ImportRefused, match="too large once unpacked") as refused:
        check_docx(_zip(parts))
    assert refused.value.params == {"max": 30}


def test_docx_with_too_many_parts_is_refused():
    parts = {f"part{n}.xml": b"" for n in range(importer.DOCX_MAX_PARTS + 1)}
    with pytest.raises(ImportRefused, match="too many parts"):
        check_docx(_zip(parts))


def test_docx_with_unsupported_compression_is_refused():
    data = _zip({"word/document.xml": b"<w:document/>"}, zipfile.ZIP_BZIP2)
    with pytest.raises(ImportRefused, match="packed in a way the portal does not read"):
        check_docx(data)


def test_docx_with_encrypted_parts_is_refused():
    data = bytearray(_zip({"word/document.xml": b"<w:document/>"}))
    # Set the "encrypted" bit in the local and the central directory's header of the part.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    with pytest.raises(ImportRefused, match="encrypted"):
        check_docx(bytes(data))


def test_password_protected_docx_or_old_doc_is_refused():
    # Word stores a password-protected .docx (and a .doc) as an OLE compound file.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000
    with pytest.raises(ImportRefused, match="protected with a password or is an old Word"):
        import_file("protocol.docx", data)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"%PDF-1.7"])
def test_docx_that_is_no_zip_is_refused_as_unreadable(data):
    with pytest.raises(ImportRefused, match=r"not a readable Word document \(\.docx\)"):
        import_file("protocol.docx", data)


def test_an_ordinary_docx_passes_the_checks():
    assert import_file("protocol.docx", _docx_bytes()).title == "Protocol sociale media"


TEXT = "Protocol café\n\nDe coördinator spreekt één keer per jaar met ‘iedereen’.\n"


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(TEXT.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(TEXT.encode("cp1252"), id="windows-1252"),
    ],
)
def test_text_files_are_read_in_the_encodings_word_and_notepad_save(encoded):
    assert decode_text(encoded) == TEXT


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Protocol\x00 met NUL", id="nul"),
        pytest.param(TEXT.encode("utf-16-le"), id="utf-16-without-bom"),
        pytest.param(bytes(range(256)), id="binary"),
        pytest.param(b"Protocol \x81\x8d", id="not-windows-1252"),
        pytest.param(b"\xff\xfe\x00\xd8", id="broken-utf-16"),
    ],
)
def test_other_bytes_in_a_text_file_are_a_clear_error(data):
    with pytest.raises(ImportRefused, match="not a plain text file the portal can read"):
        import_file("protocol.txt", data)


def test_unexpected_failure_while_parsing_is_reported_in_our_words(monkeypatch):
    # A file python-docx trips over in a way nobody foresaw still gets our sentence.
    monkeypatch.setattr(importer, "_body_items", lambda document: iter([object()]))
    with pytest.raises(ImportRefused, match="could not be read") as refused:
        import_file("protocol.docx", _docx_bytes())
    assert "object" not in str(refused.value)


# --- through the upload form ------------------------------------------------------------------


def _upload(client, name, content, school):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("protocols:protocol_import"),
        {"step": "upload", "file": file, "target": f"school:{school.pk}"},
    )


@pytest.mark.django_db
def test_import_of_a_zip_bomb_shows_a_dutch_message(client, director, school):
    client.force_login(director)
    html = _upload(client, "protocol.docx", zip_bomb_docx(), school).content.decode()
    assert "Dit Word-document pakt uit tot veel meer dan zijn grootte" in html


@pytest.mark.django_db
def test_import_of_a_binary_text_file_shows_a_dutch_message(client, director, school):
    client.force_login(director)
    html = _upload(client, "protocol.txt", b"\x00\x01\x02", school).content.decode()
    assert "Dit is geen tekstbestand dat de portal kan lezen." in html


@pytest.mark.django_db
def test_import_of_a_too_large_docx_names_the_limit_in_dutch(client, director, school):
    client.force_login(director)
    parts = {f"word/media/image{n}.xml": b"\0" * 900 * 1024 for n in range(40)}
    html = _upload(client, "protocol.docx", _zip(parts), school).content.decode()
    assert "meer dan 30 MB" in html
