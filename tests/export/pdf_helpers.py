"""Read PDFs back for the tests: text per page, embedded fonts, outline titles."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    """Extracted text of every page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def flat_text(path: Path) -> str:
    """All text with line breaks and spaces removed (wrapped text compares as one string)."""
    return "".join("".join(page_texts(path)).split())


def font_report(path: Path) -> dict[str, bool]:
    """Base font name -> whether its program is embedded (FontFile/FontFile2/FontFile3)."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def outline_titles(path: Path) -> list[tuple[str, int]]:
    """Top-level bookmarks as (title, 0-based page number)."""
    reader = PdfReader(path)
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
