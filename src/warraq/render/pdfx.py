"""Print-ready PDF: PDF/X-4 and PDF/X-1a output intents, colours, and the page boxes.

WeasyPrint writes the PDF/X metadata (version keys, XMP, ``/Trapped``) but no
output intent unless a CMYK profile is given, paints every colour as
DeviceRGB, and puts the BleedBox at most 10pt outside the TrimBox. This pass
finishes the file with pikepdf:

- PDF/X-4: the output intent is sRGB (WeasyPrint's own ``sRGB2014.icc``, the
  ICC's profile, free to copy unmodified), embedded; RGB colour is allowed
  with an RGB intent. No Debian package with a free licence ships a CMYK
  profile (``icc-profiles-free`` has FOGRA measurement data only, Ghostscript's
  ``default_cmyk.icc`` is AGPL-3), so no CMYK profile is embedded.
- PDF/X-1a: every ``rg``/``RG`` colour becomes DeviceCMYK (neutral greys on the
  black plate only) and the output intent names the registered FOGRA39
  characterization (ISO 12647-2 coated paper), which X-1a allows without an
  embedded profile. Anything X-1a forbids that warraq cannot convert (RGB or
  ICC images, soft masks, opacity below 1) is an error.
- Both: link annotations are dropped (a print file has no use for them and
  PDF/X restricts annotations inside the bleed box); the XMP DocumentID is
  derived from the content, so builds stay reproducible.
- Every PDF with ``bleed`` or ``crop_marks``: the BleedBox is the trim plus
  exactly the configured bleed; crop marks are drawn outside it.
"""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal
from typing import Any

from warraq.errors import WarraqError

PDFX_VARIANTS = ("pdf/x-4", "pdf/x-1a")

MARKS_MM = 6.0
"""Room for crop marks outside the bleed: WeasyPrint draws them in the outer half
of the CSS bleed, so the CSS bleed is twice the printer's bleed plus this."""

FOGRA39 = {
    "OutputConditionIdentifier": "FOGRA39",
    "OutputCondition": "Offset printing, coated paper (ISO 12647-2:2004, paper type 1)",
    "RegistryName": "http://www.color.org",
    "Info": "Coated FOGRA39 (ISO 12647-2:2004)",
}
_PT_PER_MM = 72 / 25.4


def css_bleed(bleed_mm: float, crop_marks: bool) -> str | None:
    """The CSS ``bleed`` for the ``@page`` rule: the printer's bleed, plus room for marks.

    >>> css_bleed(3, False), css_bleed(3, True), css_bleed(0, True), css_bleed(0, False)
    ('3.00mm', '12.00mm', '6.00mm', None)
    """
    if crop_marks:
        return f"{2 * bleed_mm + MARKS_MM:.2f}mm"
    return f"{bleed_mm:.2f}mm" if bleed_mm > 0 else None


def weasyprint_options(variant: str | None) -> dict[str, Any]:
    """Options added to WeasyPrint's for ``variant``: the sRGB output intent for PDF/X-4."""
    return {"output_intent": "srgb"} if variant == "pdf/x-4" else {}


def finish_print(data: bytes, variant: str | None, bleed_mm: float, crop_marks: bool) -> bytes:
    """``data`` with the page boxes right and, for PDF/X variants, the output intent and colours."""
    if variant not in PDFX_VARIANTS and not crop_marks and bleed_mm <= 0:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _bleed_box(page, bleed_mm)
        if variant in PDFX_VARIANTS:
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    del page.obj["/Annots"]
            if variant == "pdf/x-1a":
                _to_cmyk(pdf)
                intent = pikepdf.Dictionary(
                    {f"/{key}": pikepdf.String(value) for key, value in FOGRA39.items()}
                )
                intent.Type = pikepdf.Name.OutputIntent
                intent.S = pikepdf.Name.GTS_PDFX
                pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
            _stable_document_id(pdf)
            # WeasyPrint's /ID hashes its file, random DocumentID included: let
            # qpdf derive both halves from the content (deterministic_id below).
            if "/ID" in pdf.trailer:
                del pdf.trailer["/ID"]
        out = io.BytesIO()
        version = "1.4" if variant == "pdf/x-1a" else pdf.pdf_version
        pdf.save(out, deterministic_id=True, force_version=version)
    return out.getvalue()


def _bleed_box(page: Any, bleed_mm: float) -> None:
    import pikepdf

    trim = [float(value) for value in page.obj.get("/TrimBox", page.obj.MediaBox)]
    media = [float(value) for value in page.obj.MediaBox]
    bleed = bleed_mm * _PT_PER_MM
    box = [
        max(trim[0] - bleed, media[0]),
        max(trim[1] - bleed, media[1]),
        min(trim[2] + bleed, media[2]),
        min(trim[3] + bleed, media[3]),
    ]
    page.obj.BleedBox = pikepdf.Array([Decimal(f"{value:.4f}") for value in box])


def _cmyk(red: float, green: float, blue: float) -> list[float]:
    """An uncalibrated conversion; neutral greys go on the black plate alone.

    >>> _cmyk(0.2, 0.2, 0.2), _cmyk(1, 0, 0)
    ([0.0, 0.0, 0.0, 0.8], [0.0, 1.0, 1.0, 0.0])
    """
    black = 1.0 - max(red, green, blue)
    if black >= 1:
        return [0.0, 0.0, 0.0, 1.0]
    scale = 1 - black
    return [round((1 - value - black) / scale, 4) for value in (red, green, blue)] + [
        round(black, 4)
    ]


def _transparent(state: Any) -> bool:
    """Whether a graphics state paints with transparency (opacity or a soft mask)."""
    import pikepdf

    mask = state.get("/SMask")
    return (
        float(state.get("/ca", 1)) < 1
        or float(state.get("/CA", 1)) < 1
        or (mask is not None and mask != pikepdf.Name("/None"))
    )


def _to_cmyk(pdf: Any) -> None:
    """Rewrite every RGB colour of pages and forms as CMYK; refuse what cannot be converted."""
    import pikepdf

    streams: list[Any] = list(pdf.pages)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Form:
            streams.append(obj)
        elif isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
            space = obj.get("/ColorSpace")
            if space not in (pikepdf.Name.DeviceGray, pikepdf.Name.DeviceCMYK):
                raise WarraqError(
                    f"PDF/X-1a allows only grey and CMYK images; an image is in {space}: "
                    "convert it to CMYK or build with --pdf-variant pdf/x-4"
                )
    # WeasyPrint writes its graphics states (CSS opacity: /ca, /CA) as direct
    # dictionaries inside each page's and form's resources: look there.
    for holder in streams:
        owner = holder.obj if isinstance(holder, pikepdf.Page) else holder
        resources = owner.get("/Resources")
        states: Any = resources.get("/ExtGState", {}) if resources is not None else {}
        for state in states.values():
            if _transparent(state):
                raise WarraqError(
                    "PDF/X-1a allows no transparency and the templates use some "
                    "(opacity or a transparent colour): remove it or build with "
                    "--pdf-variant pdf/x-4"
                )
    for holder in streams:
        instructions = pikepdf.parse_content_stream(holder)
        changed = False
        rewritten = []
        for operands, operator in instructions:  # type: ignore[misc]
            name = str(operator)
            if name in ("rg", "RG"):
                values = _cmyk(*(float(value) for value in operands))
                operands = [Decimal(f"{value:.4f}") for value in values]
                operator = pikepdf.Operator("k" if name == "rg" else "K")
                changed = True
            elif name in ("cs", "CS", "sc", "SC", "scn", "SCN", "sh"):
                raise WarraqError(
                    f"PDF/X-1a: the page uses the '{name}' colour operator warraq cannot "
                    "convert to CMYK: use plain colours or build with --pdf-variant pdf/x-4"
                )
            rewritten.append((operands, operator))
        if changed:
            data = pikepdf.unparse_content_stream(rewritten)
            if isinstance(holder, pikepdf.Page):
                holder.obj.Contents = pdf.make_stream(data)
            else:
                holder.write(data)


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _stable_document_id(pdf: Any) -> None:
    """Replace WeasyPrint's random XMP DocumentID by one derived from the pages' content."""
    import pikepdf

    if "/Metadata" not in pdf.Root:
        return
    xmp = pdf.Root.Metadata.read_bytes()
    hasher = hashlib.sha256(b"".join(page.obj.Contents.read_bytes() for page in pdf.pages))
    hasher.update(_DOCUMENT_ID.sub(b"", xmp))
    digest = hasher.hexdigest()
    stable = f"xmp.did:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    replaced = _DOCUMENT_ID.sub(stable.encode(), xmp)
    if replaced != xmp:
        pdf.Root.Metadata = pdf.make_stream(replaced, Type=pikepdf.Name.Metadata)
        pdf.Root.Metadata.Subtype = pikepdf.Name.XML
