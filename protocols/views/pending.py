"""The page shown while a background task makes a PDF that was asked for."""

from django.shortcuts import render


def pdf_pending(request, *, title: str, again: str, back: str):
    """202: "the PDF of `title` is being made"; the page looks again at `again` every few
    seconds (the download starts when it is stored) and offers a way `back`."""
    context = {"title": title, "again": again, "back": back}
    return render(request, "protocols/pdf_pending.html", context, status=202)
