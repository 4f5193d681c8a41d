"""Test images made in memory with Pillow, for treatments.imaging.

Why in memory: no binary fixtures in the repository (nothing to review, nothing that could be a
real patient's face), and each hostile input is built byte by byte so a test says exactly what it
feeds the validator. Every helper returns the bytes a browser would upload.
"""

import struct
import zlib
from io import BytesIO

import pillow_heif
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

pillow_heif.register_heif_opener()

# Distinctive strings, so a test can search the output bytes for them.
CAMERA_SERIAL = "SN-XYZZY-4417-SECRET"
CAMERA_OWNER = "Owner Dr Secretname"
JPEG_COMMENT = "secret-jpeg-comment-7731"
PNG_COMMENT = "secret-png-comment-5309"
XMP_SECRET = "secret-xmp-creator-tool-2718"
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
DATE_TIME_ORIGINAL = "2024:03:15 10:20:30"
DATE_TIME = "2024:01:01 08:00:00"

# The marked corner: a red block on a blue background survives JPEG compression clearly.
BACKGROUND = (70, 110, 160)
MARK = (220, 30, 30)

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ORIENTATION = 0x0112
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003
CAMERA_OWNER_NAME = 0xA430
BODY_SERIAL_NUMBER = 0xA431

XMP_PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
    f"<xmp:CreatorTool>{XMP_SECRET}</xmp:CreatorTool>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
).encode()


def marked_image(size: tuple[int, int] = (300, 200), mode: str = "RGB") -> Image.Image:
    """A plain image whose top-left fifth is red, so a test can see where that corner went."""
    image = Image.new("RGB", size, BACKGROUND)
    mark = max(1, min(size) // 5)
    ImageDraw.Draw(image).rectangle((0, 0, mark - 1, mark - 1), fill=MARK)
    return image.convert(mode)


def photo_like(size: tuple[int, int]) -> Image.Image:
    """Gradients plus noise: compresses and decodes about like a real photo, unlike a flat fill."""
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = red.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    noise = Image.effect_noise(size, 24)
    return Image.blend(
        Image.merge("RGB", (red, green, blue)), Image.merge("RGB", (noise, noise, noise)), 0.25
    )


def sensitive_exif(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone or clinic camera writes it: GPS, serial number, owner, dates, orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[DATETIME] = DATE_TIME
    camera = exif.get_ifd(EXIF_IFD)
    camera[DATETIME_ORIGINAL] = DATE_TIME_ORIGINAL
    camera[BODY_SERIAL_NUMBER] = CAMERA_SERIAL
    camera[CAMERA_OWNER_NAME] = CAMERA_OWNER
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.5)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.2)
    return exif


def _save(image: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def jpeg_with_metadata(size: tuple[int, int] = (300, 200), orientation: int = 6) -> bytes:
    """The worst upload: GPS, serial number, owner, dates, orientation, XMP and a COM comment."""
    return _save(
        marked_image(size),
        "JPEG",
        quality=95,
        exif=sensitive_exif(orientation).tobytes(),
        xmp=XMP_PACKET,
        comment=JPEG_COMMENT.encode(),
    )


def jpeg(size: tuple[int, int] = (300, 200), **params: object) -> bytes:
    """A plain JPEG with no metadata at all."""
    return _save(marked_image(size), "JPEG", quality=92, **params)


def jpeg_with_exif(exif: Image.Exif) -> bytes:
    """A JPEG carrying exactly the EXIF given, for the capture-date cases."""
    return _save(marked_image(), "JPEG", exif=exif.tobytes())


def mpo() -> bytes:
    """A multi-picture JPEG as phones write for depth or burst shots: two JPEGs back to back."""
    return _save(marked_image(), "MPO", save_all=True, append_images=[marked_image((150, 100))])


def cmyk_jpeg() -> bytes:
    """A print-shop CMYK JPEG: still a JPEG, so it must come out as an ordinary RGB photo."""
    return _save(marked_image(mode="CMYK"), "JPEG", quality=92)


def png(alpha: bool = False) -> bytes:
    """A PNG with a text comment, EXIF and XMP, optionally with a transparent area."""
    image = marked_image(mode="RGBA" if alpha else "RGB")
    if alpha:
        # The bottom-right corner fully transparent: it must come out white, not black.
        ImageDraw.Draw(image).rectangle((250, 150, 299, 199), fill=(0, 0, 0, 0))
    info = PngInfo()
    info.add_text("Comment", PNG_COMMENT)
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
    return _save(image, "PNG", pnginfo=info, exif=sensitive_exif(orientation=1).tobytes())


def png_16bit_grey() -> bytes:
    """A 16-bit greyscale PNG (scientific cameras): must be scaled to 8 bits, not clipped white."""
    return _save(Image.new("I;16", (40, 30), 40000), "PNG")


def webp() -> bytes:
    """A WebP carrying EXIF and XMP."""
    return _save(
        marked_image(), "WEBP", quality=90, exif=sensitive_exif(1).tobytes(), xmp=XMP_PACKET
    )


def heic(image: Image.Image | None = None, orientation: int = 1, quality: int = 85) -> bytes:
    """An iPhone-style HEIC with EXIF (pillow_heif turns orientation into a HEIF transform)."""
    image = marked_image() if image is None else image
    return _save(image, "HEIF", quality=quality, exif=sensitive_exif(orientation).tobytes())


def avif() -> bytes:
    """An AVIF: an image format, but not one on the clinic's list."""
    return _save(marked_image(), "AVIF", quality=80)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A 65-byte PNG whose header claims width x height pixels (Django's ImageField accepts it).

    Decoding it would allocate width x height x 3 bytes (300 MB for the default) before failing.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A JPEG cut off part way through its scan data, as an interrupted upload leaves it."""
    data = _save(photo_like((300, 200)), "JPEG", quality=92)
    return data[: len(data) * 6 // 10]


def truncated_png() -> bytes:
    """A PNG cut off inside its image data."""
    data = _save(photo_like((300, 200)), "PNG")
    return data[: len(data) // 2]


def truncated_heic() -> bytes:
    """A HEIC cut off inside its image data."""
    data = heic(photo_like((300, 200)))
    return data[: len(data) * 6 // 10]


def jpeg_with_script() -> bytes:
    """A valid JPEG with HTML appended: Pillow decodes it happily, a browser might run it."""
    return jpeg() + b"<script>alert(1)</script>"


def jpeg_with_padding() -> bytes:
    """Some cameras pad the file after the end-of-image marker with zero bytes: harmless."""
    return jpeg() + b"\x00" * 64


def png_with_trailing_data() -> bytes:
    """A valid PNG with a script after its IEND chunk."""
    return png() + b"<script>alert(1)</script>"


def webp_with_trailing_data() -> bytes:
    """A valid WebP with a script after the RIFF container."""
    return webp() + b"<script>alert(1)</script>"


def heic_with_trailing_data() -> bytes:
    """A valid HEIC with a script after its last box."""
    return heic() + b"<script>alert(1)</script>"


PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>\n"
)
EMPTY = b""


def tiff() -> bytes:
    """A TIFF: Pillow can read it, but it is not on the list (and has a long history of CVEs)."""
    return _save(marked_image(), "TIFF")


def gif() -> bytes:
    """A GIF: an image, not a clinical photo format."""
    return _save(marked_image(), "GIF")


def bmp() -> bytes:
    """A BMP: an image, not a clinical photo format."""
    return _save(marked_image(), "BMP")


def fits() -> bytes:
    """A minimal FITS file (astronomy): Pillow has a reader for it, we must not use it."""
    cards = [
        "SIMPLE  =                    T",
        "BITPIX  =                    8",
        "NAXIS   =                    2",
        "NAXIS1  =                   10",
        "NAXIS2  =                   10",
        "END",
    ]
    header = "".join(card.ljust(80) for card in cards).ljust(2880).encode("ascii")
    return header + bytes(100).ljust(2880, b"\x00")


def large_jpeg(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A 12-megapixel camera JPEG (4000 x 3000), for the benchmark and the reduce-on-load path."""
    return _save(photo_like(size), "JPEG", quality=92, exif=sensitive_exif(1).tobytes())


def large_heic(size: tuple[int, int] = (4000, 3000), quality: int = 85) -> bytes:
    """A 12-megapixel HEIC, for the benchmark.

    HEVC decoding time grows with the file size: on this noisy picture quality 85 gives about
    8 MB (a worst case), quality 40 about 1.3 MB (what a phone typically writes at 12 MP).
    """
    return heic(photo_like(size), quality=quality)
