"""Validate an uploaded clinical photograph and re-encode it without metadata: pure, no Django.

Why this exists: a clinical photo is the most sensitive data the clinic holds (a face identifies
the patient) and every upload is untrusted bytes. Rules from issue 6 ("Upload") and
docs/clinical-rules.md ("Clinical photographs"):

- validate by content, never by file name: Pillow opens only JPEG, PNG, WebP and HEIC/HEIF;
- refuse pixel bombs from the header, before any decoding (Pillow only warns below twice its own
  limit, and Django's ImageField accepts a 65-byte PNG claiming 10000 x 10000 pixels);
- decode fully, because ``verify()`` passes truncated files, and refuse data hidden after the
  image (a JPEG with a script appended decodes fine);
- apply the EXIF orientation, then copy only the pixels into a fresh image, so no EXIF (GPS,
  camera serial number, owner), XMP or JPEG comment survives; keep an RGB ICC profile only,
  because colour (redness) is part of the assessment;
- make the display (1600 px) and thumbnail (400 px) sizes at upload, reducing JPEGs while
  decoding so a 12-megapixel phone photo is processed quickly.

Limits are parameters (the caller reads them from settings). Every refusal is an ImageRejected
whose message a clinician can read.
"""

import contextlib
import datetime as dt
import hashlib
import struct
import warnings
from dataclasses import dataclass, field
from io import BytesIO

import pillow_heif
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Once, at import: adds the "HEIF" format to Pillow's registry so Image.open can be told to use it.
pillow_heif.register_heif_opener()

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
DISPLAY_PX = 1600
THUMB_PX = 400
JPEG_QUALITY = 90
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PIXELS = 60_000_000

NOT_A_PHOTO = "This file is not a JPEG, PNG, WebP or HEIC photo"
DAMAGED = "The file is damaged or incomplete."
TRAILING_DATA = "The file has extra data after the image and was refused."
EMPTY = "The file is empty."

_WHITE = (255, 255, 255)
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # length 0, type, CRC: always these 12 bytes
_EXIF_IFD = 0x8769
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 0x9003
_EXIF_DATE_FORMATS = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S")
# Brands of the ISO base media file format that mean a HEIC/HEIF still image.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Errors Pillow and its plugins raise for bytes they cannot parse or decode.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


class ImageRejected(ValueError):
    """An upload refused, with a message a clinician can read and act on.

    For example "This file is not a JPEG, PNG, WebP or HEIC photo (it looks like a PDF
    document)." A ValueError, so a form's clean() can turn it into a field error as it is.
    """


@dataclass(frozen=True)
class ProcessedPhoto:
    """A validated photo, re-encoded as metadata-free JPEGs in three sizes.

    The byte fields are left out of repr() so that a log line or a traceback never carries a
    patient's photo.
    """

    image: bytes = field(repr=False)
    display: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    sha256: str
    captured_at: dt.datetime | None
    source_format: str
    content_type: str = "image/jpeg"


def process_upload(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> ProcessedPhoto:
    """Validate an uploaded photo and return it re-encoded in full, display and thumbnail sizes.

    Raises ImageRejected (a ValueError) with a readable message for anything that is not a
    complete JPEG, PNG, WebP or HEIC photo within the limits. The SHA-256 is of the uploaded
    bytes, so the same upload twice is recognised even if a future encoder changes the output.
    """
    _check_byte_size(data, max_bytes)
    # Pillow's decompression-bomb warning becomes an error for the whole job, so nothing below
    # can merely warn and carry on decoding. catch_warnings changes process-wide state: safe in
    # gunicorn's sync workers (one request per process), racy only with threaded workers.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _process(data, max_pixels)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(_too_large(None, _pixel_limit(max_pixels))) from exc


def _process(data: bytes, max_pixels: int) -> ProcessedPhoto:
    """The steps of process_upload, in the order that keeps each refusal's message true."""
    with _open(data, max_pixels) as upload:
        source_format = _normalised_format(upload)
        _decode(upload)
        # After decoding: a truncated JPEG also lacks its end marker, but "damaged" is the
        # truer message for it, and decoding has already said so.
        if _has_trailing_data(data, source_format):
            raise ImageRejected(TRAILING_DATA)
        captured_at = _captured_at(upload)
        icc_profile = _rgb_icc_profile(upload)
        _apply_orientation(upload)
        full = _fresh_rgb(upload)

    if source_format == "JPEG":
        display = _reduced_jpeg(data, DISPLAY_PX)
        thumbnail = _reduced_jpeg(data, THUMB_PX)
    else:
        display = _fit(full, DISPLAY_PX)
        thumbnail = _fit(display, THUMB_PX)

    return ProcessedPhoto(
        # No optimized Huffman tables for the full size: on 12 MP they cost ~90 ms (three times
        # the plain encode) and a second buffer of every coefficient (~36 MB) for ~5 % of bytes.
        image=_encode(full, icc_profile, optimize=False),
        display=_encode(display, icc_profile),
        thumbnail=_encode(thumbnail, icc_profile),
        width=full.width,
        height=full.height,
        sha256=hashlib.sha256(data).hexdigest(),
        captured_at=captured_at,
        source_format=source_format,
    )


def _check_byte_size(data: bytes, max_bytes: int) -> None:
    """Refuse before parsing anything: an empty file or one over the upload limit."""
    if not data:
        raise ImageRejected(EMPTY)
    if len(data) > max_bytes:
        raise ImageRejected(f"The file is larger than {_format_bytes(max_bytes)}.")


def _format_bytes(size: int) -> str:
    """25 * 1024 * 1024 reads as "25 MB"; a limit under a megabyte (tests, demos) in KB."""
    if size < 1024 * 1024:
        return f"{round(size / 1024, 2):g} KB"
    return f"{round(size / (1024 * 1024), 2):g} MB"


def _pixel_limit(max_pixels: int) -> int:
    """Our limit, capped at Pillow's own, so our check (with its clear message) always runs first.

    Above Pillow's MAX_IMAGE_PIXELS its warning, made an error here, would refuse the photo later
    anyway, with a vaguer message and after decoding had started.
    """
    pillow_limit = Image.MAX_IMAGE_PIXELS
    return max_pixels if pillow_limit is None else min(max_pixels, pillow_limit)


def _too_large(size: tuple[int, int] | None, limit: int) -> str:
    megapixels = f"{round(limit / 1_000_000, 2):g}"  # 60, 89.48, 0.05
    if size is None:
        return f"The image is too large (the limit is {megapixels} megapixels)."
    pixels = f"{size[0]} x {size[1]} pixels"
    return f"The image is too large ({pixels}; the limit is {megapixels} megapixels)."


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Open with the format allow-list and check the pixel count from the header alone.

    Image.open reads only the header; nothing is decoded until load().
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns from inside Image.open, before we can see the size; our own check
            # right below is at least as strict (see _pixel_limit), so the warning adds nothing
            # here, and letting it raise would lose the dimensions for the message.
            # DecompressionBombError (over twice Pillow's limit) still raises.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError as exc:
        raise ImageRejected(_not_a_photo_message(data)) from exc
    except _DECODE_ERRORS as exc:
        raise ImageRejected(DAMAGED) from exc

    width, height = image.size
    limit = _pixel_limit(max_pixels)
    if width * height > limit:
        image.close()
        raise ImageRejected(_too_large((width, height), limit))
    return image


def _normalised_format(image: Image.Image) -> str:
    """Pillow names multi-picture JPEGs (phones' depth and burst shots) "MPO": still a JPEG."""
    return "JPEG" if image.format == "MPO" else str(image.format)


def _decode(image: Image.Image) -> None:
    """Decode every pixel: verify() alone passes truncated files and files with HTML appended."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Some other code in this process flipped a global that makes Pillow pad truncated files
        # with grey; validation would silently accept them. A programming error, not an upload's.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False.")
    try:
        image.load()
    except _DECODE_ERRORS as exc:
        raise ImageRejected(DAMAGED) from exc


def _has_trailing_data(data: bytes, source_format: str) -> bool:
    """True when bytes follow the image's own end: a place to hide a script or another file.

    Each format says where it ends: JPEG with the EOI marker (cameras may pad with zeros), PNG
    with the IEND chunk, WebP where its RIFF length says, HEIF where its last box ends. A
    multi-picture JPEG ends with the EOI of its last picture, so it passes.
    """
    if source_format == "JPEG":
        return not data.rstrip(b"\x00 \t\r\n").endswith(b"\xff\xd9")
    if source_format == "PNG":
        return not data.endswith(_PNG_IEND)
    if source_format == "WEBP":
        riff_size: int  # "<I" unpacks one unsigned int
        (riff_size,) = struct.unpack_from("<I", data, 4)
        return riff_size + 8 + (riff_size & 1) != len(data)  # RIFF pads odd sizes to even
    if source_format == "HEIF":
        return not _boxes_fill_file(data)
    return True


def _boxes_fill_file(data: bytes) -> bool:
    """Walk the top-level ISO-BMFF boxes of a HEIF file: they must end exactly at its end."""
    position, end = 0, len(data)
    while position < end:
        if end - position < 8:
            return False
        (size,) = struct.unpack_from(">I", data, position)
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if end - position < 16:
                return False
            (size,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif size == 0:  # by definition, the last box runs to the end of the file
            return True
        if size < header:
            return False
        position += size
    return position == end


def _captured_at(image: Image.Image) -> dt.datetime | None:
    """The capture time the camera wrote (naive, camera's clock), or None if absent or garbled.

    DateTimeOriginal (Exif IFD) is when the shutter fired; DateTime (IFD0) is when the file was
    last written, a fallback only.
    """
    try:
        exif = image.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except Exception:
        # Hostile or broken EXIF can make Pillow's TIFF parser raise almost anything; the date is
        # a convenience, the photo is still good.
        return None
    return _parse_exif_datetime(raw)


def _parse_exif_datetime(raw: object) -> dt.datetime | None:
    """EXIF writes "YYYY:MM:DD HH:MM:SS", sometimes NUL-padded or with sub-seconds appended."""
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    if not isinstance(raw, str):
        return None
    text = raw.strip("\x00 ")[:19]
    for date_format in _EXIF_DATE_FORMATS:
        try:
            # Naive on purpose: the camera's clock has no zone, and its reading is what we keep.
            return dt.datetime.strptime(text, date_format)
        except ValueError:
            continue
    return None


def _rgb_icc_profile(image: Image.Image) -> bytes | None:
    """The upload's ICC profile if it describes RGB, the only colour space we write.

    Redness is part of the assessment, so a wide-gamut (Display P3) phone photo keeps its
    profile. A grey or CMYK profile would be wrong on the RGB output, so it is dropped (CMYK is
    then converted naively; print files are not clinical photos).
    """
    profile = image.info.get("icc_profile")
    if isinstance(profile, bytes) and len(profile) >= 20 and profile[16:20] == b"RGB ":
        return profile
    return None


def _apply_orientation(image: Image.Image) -> None:
    """Turn the pixels the way the EXIF orientation says, so they stand right without metadata.

    In place: the image is ours, and a 12-megapixel copy costs time for nothing when the
    orientation is already upright. With unreadable EXIF the photo is kept as stored, as browsers
    show it.
    """
    # Garbled EXIF must not refuse a good photo (same reasoning as _captured_at).
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)


def _fresh_rgb(image: Image.Image) -> Image.Image:
    """Copy only the pixels, as 8-bit RGB, into a new image that has never seen the upload's info.

    A plain re-save would carry info["comment"] (the JPEG COM segment), XMP and EXIF over.
    Transparency is flattened onto white, as a printed photo would show it.
    """
    try:
        if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
            # 16-bit grey: scale to 8 bits; convert() would clip everything above 255 to white.
            image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
            "transparency" in image.info
        )
        if has_alpha:
            rgba = image.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, _WHITE)
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode == "RGB":
            rgb = image  # the usual case: no conversion copy, the paste below is the only one
        else:
            rgb = image.convert("RGB")
    except ValueError as exc:  # a mode Pillow cannot convert: not a photo we can show
        raise ImageRejected(DAMAGED) from exc
    fresh = Image.new("RGB", rgb.size)
    fresh.paste(rgb)
    return fresh


def _fit_size(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """Scale so the longest side is at most `longest`, keeping the aspect ratio; never enlarge."""
    width, height = size
    if max(width, height) <= longest:
        return size
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, longest: int) -> Image.Image:
    """A smaller copy for display or thumbnail, from pixels already decoded (PNG, WebP, HEIF).

    reducing_gap shrinks by an integer factor first (fast box filter), then Lanczos for the last
    step; at 3 Pillow finds the result indistinguishable from Lanczos alone in most cases.
    """
    target = _fit_size(image.size, longest)
    if target == image.size:
        return image.copy()
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _reduced_jpeg(data: bytes, longest: int) -> Image.Image:
    """Decode the (already validated) JPEG again, reduced while decoding, and fit it.

    draft() must come before load(): it makes libjpeg decode at 1/2, 1/4 or 1/8 scale, the
    largest that still covers the target, so a 12-megapixel photo is never decoded in full for a
    400-pixel thumbnail. Lanczos then takes it to the exact size.
    """
    try:
        with Image.open(BytesIO(data), formats=("JPEG",)) as image:
            # Orientation does not matter here: scaling is uniform, and the longest side stays
            # the longest side after a quarter turn.
            target = _fit_size(image.size, longest)
            drafted = image.draft("RGB", target)
            image.load()
            # The box is the whole original picture in drafted coordinates; it trims the partial
            # edge block that reduced decoding rounds up to.
            box = drafted[1] if drafted else None
            reduced = image.resize(target, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            # resize() returns a bare image; the EXIF is needed on it for the orientation.
            reduced.info = dict(image.info)
    except _DECODE_ERRORS as exc:
        # The same bytes decoded in full a moment ago; the reduced decoder disagreeing is
        # unlikely, but it is still untrusted input.
        raise ImageRejected(DAMAGED) from exc
    _apply_orientation(reduced)
    return _fresh_rgb(reduced)


def _encode(image: Image.Image, icc_profile: bytes | None, *, optimize: bool = True) -> bytes:
    """Write a fresh baseline JPEG; the only metadata passed on is the RGB colour profile."""
    buffer = BytesIO()
    params: dict[str, object] = {"quality": JPEG_QUALITY, "optimize": optimize}
    if icc_profile:
        params["icc_profile"] = icc_profile
    image.save(buffer, "JPEG", **params)
    return buffer.getvalue()


def _not_a_photo_message(data: bytes) -> str:
    """Name what the file looks like when its first bytes say so, for a clearer refusal."""
    kind = _sniff(data)
    if kind in ALLOWED_FORMATS:
        # Starts like one of ours but Pillow cannot parse even the header.
        return DAMAGED
    if kind is None:
        return f"{NOT_A_PHOTO}."
    return f"{NOT_A_PHOTO} (it looks like {kind})."


def _sniff(data: bytes) -> str | None:
    """Recognise common file types from their first bytes; only used to word a refusal."""
    head = data[:512]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "HEIF"
        if brand in (b"avif", b"avis"):
            return "an AVIF image"
        return "a video or other media file"
    magic = {
        b"%PDF": "a PDF document",
        b"II*\x00": "a TIFF image",
        b"MM\x00*": "a TIFF image",
        b"II+\x00": "a TIFF image",
        b"GIF87a": "a GIF image",
        b"GIF89a": "a GIF image",
        b"BM": "a BMP image",
        b"SIMPLE  =": "a FITS image",
        b"%!PS": "a PostScript document",
        b"PK\x03\x04": "a ZIP archive or Office document",
        b"\x00\x00\x01\x00": "an icon file",
    }
    for prefix, kind in magic.items():
        if head.startswith(prefix):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return "an SVG drawing"
    if text.startswith((b"<!doctype html", b"<html")) or b"<script" in text:
        return "an HTML web page"
    if text.startswith(b"<?xml"):
        return "an XML file"
    return None
