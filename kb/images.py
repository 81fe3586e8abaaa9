"""Which files may be shown as an article's image. Images are served as files of their own and shown with
<img>, never inlined, so nothing inside them can run; SVG is checked anyway, for a reader who opens one
directly: no scripts, no event handlers, nothing fetched from elsewhere."""

import re
from xml.etree import ElementTree

SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_SVG_BYTES = 256 * 1024
MAX_RASTER_BYTES = 2 * 1024 * 1024
RASTER_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
# Elements that run code, embed other documents or fetch other files.
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "image", "feImage"}
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")


class ImageError(ValueError):
    """The file cannot be an article image; the message says why."""


def content_type(name, data):
    """The Content-Type of an acceptable image, or ImageError."""
    if name.endswith(".svg"):
        _check_svg(data)
        return "image/svg+xml"
    if len(data) > MAX_RASTER_BYTES:
        raise ImageError(f"is {len(data):,} bytes; images may be at most {MAX_RASTER_BYTES:,}.")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = "image/webp"
    else:
        found = next((kind for magic, kind in RASTER_SIGNATURES.items() if data.startswith(magic)), None)
    expected = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
    if found is None or found != expected.get(name.rsplit(".", 1)[-1]):
        raise ImageError("is not an image of the kind its name says (SVG, PNG, JPEG, WebP or GIF).")
    return found


def _check_svg(data):
    if len(data) > MAX_SVG_BYTES:
        raise ImageError(f"is {len(data):,} bytes; SVG images may be at most {MAX_SVG_BYTES:,}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImageError(f"is not valid UTF-8 (byte {error.start}).") from error
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ImageError("declares a DOCTYPE or entities, which SVG images here may not.")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ImageError(f"is not well-formed XML: {error}.") from error
    if root.tag != f"{SVG_NS}svg":
        raise ImageError("is not an SVG image (its root element must be <svg> in the SVG namespace).")
    for element in root.iter():
        tag = element.tag.split("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_ELEMENTS:
            raise ImageError(f"holds a <{tag}> element; diagrams are drawn with shapes and text only.")
        for attribute, value in element.attrib.items():
            name = attribute.split("}", 1)[-1]
            if name.lower().startswith("on"):
                raise ImageError(f"has an event handler ({name}) on <{tag}>.")
            if name == "href" and not value.startswith("#"):
                raise ImageError(f"links outside itself ({value[:60]}); only #id references are allowed.")
            if EXTERNAL_URL.search(value) or "javascript:" in value.lower():
                raise ImageError(f"refers to another file in {name} on <{tag}>.")
        if tag == "style" and (EXTERNAL_URL.search(element.text or "") or "@import" in (element.text or "")):
            raise ImageError("has a stylesheet that fetches another file.")


def dimensions(name, data):
    """``(width, height)`` in CSS pixels of an acceptable image, or None when it does not say."""
    if name.endswith(".svg"):
        root = ElementTree.fromstring(data.decode("utf-8"))
        width, height = (NUMBER.match(root.get(side, "")) for side in ("width", "height"))
        if width and height:
            return round(float(width.group(1))), round(float(height.group(1)))
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) == 4:
            return round(float(box[2])), round(float(box[3]))
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None
