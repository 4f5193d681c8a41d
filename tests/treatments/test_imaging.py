"""treatments.imaging: what an uploaded clinical photo must pass, and what must not survive it.

Plain pytest, no database: the module is pure. Test images are made in memory by
tests/treatments/images.py. Each refusal asserts its whole message, because the clinician reads it.
"""

import datetime as dt
import hashlib
import warnings
from collections.abc import Callable
from io import BytesIO

import pytest
from PIL import Image, ImageCms, ImageFile
from PIL.JpegImagePlugin import JpegImageFile

from tests.treatments import images
from treatments.imaging import (
    DISPLAY_PX,
    THUMB_PX,
    ImageRejected,
    ProcessedPhoto,
    process_upload,
)

NOT_A_PHOTO = "This file is not a JPEG, PNG, WebP or HEIC photo"
DAMAGED = "The file is damaged or incomplete."
TRAILING = "The file has extra data after the image and was refused."


def rejected(data: bytes, **limits: int) -> str:
    """The refusal message for `data`; fails the test if the upload is accepted."""
    with pytest.raises(ImageRejected) as excinfo:
        process_upload(data, **limits)
    return str(excinfo.value)


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def outputs(photo: ProcessedPhoto) -> dict[str, bytes]:
    return {"image": photo.image, "display": photo.display, "thumbnail": photo.thumbnail}


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    """JPEG shifts colours a little; the marked corner and the background differ by far more."""
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# --- Size limits ---------------------------------------------------------------------------


def test_zero_byte_file_is_refused() -> None:
    assert rejected(images.EMPTY) == "The file is empty."


def test_file_over_the_default_limit_is_refused_before_parsing() -> None:
    # One byte over 25 MB of zeros: refused on length alone, nothing has to be parsed.
    assert rejected(bytes(25 * 1024 * 1024 + 1)) == "The file is larger than 25 MB."


def test_byte_limit_is_a_parameter_and_its_message_follows_it() -> None:
    data = images.jpeg()
    assert rejected(data, max_bytes=1000) == "The file is larger than 0.98 KB."
    assert process_upload(data, max_bytes=len(data)).width == 300  # exactly at the limit: fine


def test_65_byte_png_claiming_10000_by_10000_is_refused_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = images.png_bomb()
    assert len(bomb) == 65

    def must_not_decode(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the pixel check must run before any decoding")

    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    assert rejected(bomb) == (
        "The image is too large (10000 x 10000 pixels; the limit is 60 megapixels)."
    )


def test_pixel_check_does_not_depend_on_pillows_warning() -> None:
    # 64 megapixels: over our 60, under Pillow's 89.5, so Pillow would not even warn.
    bomb = images.png_bomb(8000, 8000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = rejected(bomb)
    assert message == "The image is too large (8000 x 8000 pixels; the limit is 60 megapixels)."
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_pixel_limit_is_a_parameter() -> None:
    message = rejected(images.jpeg(), max_pixels=50_000)  # the photo is 300 x 200 = 60 000
    assert message == "The image is too large (300 x 200 pixels; the limit is 0.05 megapixels)."


def test_a_limit_above_pillows_own_is_capped_by_it_not_a_crash() -> None:
    message = rejected(images.png_bomb(), max_pixels=200_000_000)
    assert message == (
        "The image is too large (10000 x 10000 pixels; the limit is 89.48 megapixels)."
    )


def test_pillows_decompression_bomb_error_becomes_a_refusal() -> None:
    # 400 megapixels: over twice Pillow's limit, so Image.open itself raises.
    assert rejected(images.png_bomb(20_000, 20_000)) == (
        "The image is too large (the limit is 60 megapixels)."
    )


def test_pillows_decompression_bomb_warning_is_escalated_and_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stand-in for any Pillow code path that warns while decoding: it must not just carry on.
    original_load = ImageFile.ImageFile.load

    def load_that_warns(self: ImageFile.ImageFile) -> object:
        warnings.warn("too many pixels", Image.DecompressionBombWarning, stacklevel=1)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load_that_warns)
    assert rejected(images.jpeg()) == "The image is too large (the limit is 60 megapixels)."


# --- Not a photo, or not one of ours ------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "looks_like"),
    [
        (lambda: images.PDF, "a PDF document"),
        (lambda: images.HTML, "an HTML web page"),
        (lambda: images.SVG, "an SVG drawing"),
        (images.tiff, "a TIFF image"),
        (images.gif, "a GIF image"),
        (images.bmp, "a BMP image"),
        (images.fits, "a FITS image"),
        (images.avif, "an AVIF image"),
    ],
    ids=["pdf", "html", "svg", "tiff", "gif", "bmp", "fits", "avif"],
)
def test_files_that_are_not_an_allowed_photo_format_are_refused(
    make: Callable[[], bytes], looks_like: str
) -> None:
    # The name a browser would send (x.jpg) never reaches this module: only the bytes count.
    assert rejected(make()) == f"{NOT_A_PHOTO} (it looks like {looks_like})."


def test_unrecognisable_bytes_are_refused_without_a_guess() -> None:
    assert rejected(b"just some text, renamed photo.jpg\n") == f"{NOT_A_PHOTO}."


# --- Damaged files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        images.truncated_jpeg,
        images.truncated_png,
        images.truncated_heic,
        lambda: b"\xff\xd8\xff\xe0 not really a JPEG",
    ],
    ids=["truncated-jpeg", "truncated-png", "truncated-heic", "jpeg-magic-only"],
)
def test_truncated_or_corrupt_files_are_refused(make: Callable[[], bytes]) -> None:
    assert rejected(make()) == DAMAGED


def test_refuses_to_run_if_pillow_was_told_to_accept_truncated_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With this global set, Pillow fills a truncated file with grey and validation would pass it.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        process_upload(images.truncated_jpeg())


def test_importing_the_module_leaves_truncated_loading_off() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- Data hidden after the image ------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        images.jpeg_with_script,
        images.png_with_trailing_data,
        images.webp_with_trailing_data,
        images.heic_with_trailing_data,
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_script_appended_after_the_image_is_refused(make: Callable[[], bytes]) -> None:
    data = make()
    assert data.endswith(b"<script>alert(1)</script>")
    assert rejected(data) == TRAILING


def test_jpeg_with_a_script_appended_decodes_in_pillow_which_is_why_we_check() -> None:
    # The premise of the trailing-data rule: decoding alone would accept this file.
    opened(images.jpeg_with_script())


def test_zero_padding_after_the_jpeg_end_marker_is_accepted() -> None:
    assert process_upload(images.jpeg_with_padding()).source_format == "JPEG"


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg() -> None:
    data = images.mpo()
    assert Image.open(BytesIO(data)).format == "MPO"
    photo = process_upload(data)
    assert photo.source_format == "JPEG"
    assert (photo.width, photo.height) == (300, 200)


# --- Accepted photos --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "source_format"),
    [
        (images.jpeg, "JPEG"),
        (images.png, "PNG"),
        (images.webp, "WEBP"),
        (images.heic, "HEIF"),
        (images.cmyk_jpeg, "JPEG"),
    ],
    ids=["jpeg", "png", "webp", "heic", "cmyk-jpeg"],
)
def test_good_photos_are_accepted_and_re_encoded_as_rgb_jpeg(
    make: Callable[[], bytes], source_format: str
) -> None:
    photo = process_upload(make())
    assert photo.source_format == source_format
    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (300, 200)
    for name, data in outputs(photo).items():
        image = opened(data)
        assert (image.format, image.mode) == ("JPEG", "RGB"), name
    assert opened(photo.image).size == (300, 200)
    # Colour kept: the marked corner is still red, whatever the source format.
    assert close_to(opened(photo.image).getpixel((10, 10)), images.MARK)


def test_transparent_areas_are_flattened_onto_white_not_black() -> None:
    photo = process_upload(images.png(alpha=True))
    assert close_to(opened(photo.image).getpixel((290, 190)), (255, 255, 255), tolerance=8)


def test_16_bit_grey_png_is_scaled_to_8_bits_not_clipped_to_white() -> None:
    photo = process_upload(images.png_16bit_grey())
    grey = round(40000 / 256)  # 156
    assert close_to(opened(photo.image).getpixel((20, 15)), (grey, grey, grey), tolerance=3)


# --- Nothing of the upload's metadata survives ------------------------------------------------


def assert_no_metadata(data: bytes, name: str) -> None:
    image = opened(data)
    assert len(image.getexif()) == 0, name
    for key in ("exif", "xmp", "comment", "XML:com.adobe.xmp", "Comment"):
        assert key not in image.info, (name, key)
    for secret in (
        b"Exif",
        b"http://ns.adobe.com/xap",
        b"<x:xmpmeta",
        images.CAMERA_SERIAL.encode(),
        images.CAMERA_OWNER.encode(),
        images.JPEG_COMMENT.encode(),
        images.PNG_COMMENT.encode(),
        images.XMP_SECRET.encode(),
        images.DATE_TIME_ORIGINAL.encode(),
    ):
        assert secret not in data, (name, secret)


@pytest.mark.parametrize(
    "make",
    [images.jpeg_with_metadata, images.png, images.webp, images.heic],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_gps_serial_owner_xmp_comment_and_exif_are_absent_from_every_size(
    make: Callable[[], bytes],
) -> None:
    upload = make()
    # The upload really carries them (readable by Pillow), so their absence below means something.
    exif = opened(upload).getexif()
    assert exif.get_ifd(images.GPS_IFD), "test image lacks GPS"
    assert exif.get_ifd(images.EXIF_IFD)[images.BODY_SERIAL_NUMBER] == images.CAMERA_SERIAL
    assert exif.get_ifd(images.EXIF_IFD)[images.CAMERA_OWNER_NAME] == images.CAMERA_OWNER

    for name, data in outputs(process_upload(upload)).items():
        assert_no_metadata(data, name)


def test_jpeg_test_image_carries_comment_and_xmp_segments() -> None:
    # A plain re-save keeps info["comment"]; this proves the input has one to lose.
    upload = images.jpeg_with_metadata()
    info = opened(upload).info
    assert info["comment"] == images.JPEG_COMMENT.encode()
    assert images.XMP_SECRET.encode() in info["xmp"]
    assert images.CAMERA_SERIAL.encode() in upload


def test_rgb_colour_profile_is_the_only_thing_kept() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = process_upload(images.jpeg(icc_profile=srgb))
    for name, data in outputs(photo).items():
        assert opened(data).info.get("icc_profile") == srgb, name


def test_no_colour_profile_is_invented() -> None:
    photo = process_upload(images.jpeg())
    assert "icc_profile" not in opened(photo.image).info


# --- Orientation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "size", "mark_at"),
    [
        (1, (300, 200), (30, 30)),  # upright: the red corner stays top-left
        (3, (300, 200), (270, 170)),  # turned 180 degrees: bottom-right
        (6, (200, 300), (170, 30)),  # turned 90 degrees clockwise: top-right
        (8, (200, 300), (30, 270)),  # turned 90 degrees anticlockwise: bottom-left
    ],
)
def test_exif_orientation_is_applied_to_the_pixels(
    orientation: int, size: tuple[int, int], mark_at: tuple[int, int]
) -> None:
    photo = process_upload(images.jpeg_with_metadata(orientation=orientation))
    assert (photo.width, photo.height) == size
    for name, data in outputs(photo).items():
        image = opened(data)
        assert image.size == size, name
        assert close_to(image.getpixel(mark_at), images.MARK), name
        # And the old top-left is background now (unless nothing turned).
        if orientation != 1:
            assert close_to(image.getpixel((30, 30)), images.BACKGROUND), name


def test_orientation_is_applied_on_the_reduced_jpeg_sizes_too() -> None:
    # 3000 x 2000 with orientation 6: display and thumbnail come from the reduce-on-load path.
    photo = process_upload(images.jpeg_with_metadata(size=(3000, 2000), orientation=6))
    assert (photo.width, photo.height) == (2000, 3000)
    display, thumbnail = opened(photo.display), opened(photo.thumbnail)
    assert display.size == (1067, 1600)
    assert thumbnail.size == (267, 400)
    assert close_to(display.getpixel((1067 - 100, 100)), images.MARK)
    assert close_to(display.getpixel((100, 100)), images.BACKGROUND)
    assert close_to(thumbnail.getpixel((267 - 25, 25)), images.MARK)


def test_heic_orientation_is_applied_once_not_twice() -> None:
    # pillow_heif applies the HEIF transform itself and resets EXIF orientation to 1.
    photo = process_upload(images.heic(orientation=6))
    assert (photo.width, photo.height) == (200, 300)
    assert close_to(opened(photo.image).getpixel((170, 30)), images.MARK)


# --- Display and thumbnail sizes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "display_size", "thumbnail_size"),
    [
        (lambda: images.jpeg(size=(3000, 2000)), (1600, 1067), (400, 267)),
        (lambda: images.jpeg(size=(1000, 3000)), (533, 1600), (133, 400)),
        (lambda: images.heic(images.photo_like((2400, 1800))), (1600, 1200), (400, 300)),
        (lambda: images.jpeg(size=(300, 200)), (300, 200), (300, 200)),  # never enlarged
    ],
    ids=["jpeg-landscape", "jpeg-portrait", "heic", "small"],
)
def test_display_and_thumbnail_fit_their_sizes_and_keep_the_aspect_ratio(
    make: Callable[[], bytes], display_size: tuple[int, int], thumbnail_size: tuple[int, int]
) -> None:
    photo = process_upload(make())
    display, thumbnail = opened(photo.display), opened(photo.thumbnail)
    assert display.size == display_size
    assert thumbnail.size == thumbnail_size
    assert max(display.size) <= DISPLAY_PX
    assert max(thumbnail.size) <= THUMB_PX
    ratio = photo.width / photo.height
    for image in (display, thumbnail):
        # Within one pixel of rounding on the shorter side.
        assert abs(image.width / image.height - ratio) < 1 / min(image.size)


def test_jpeg_display_and_thumbnail_are_reduced_while_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (which opened file, "load" or the draft size); holding the file itself, not its id(),
    # keeps it alive, so a later file cannot reuse a freed one's id.
    events: list[tuple[JpegImageFile, object]] = []
    original_draft, original_load = JpegImageFile.draft, JpegImageFile.load

    def draft(
        self: JpegImageFile, mode: str | None, size: tuple[int, int] | None
    ) -> tuple[str, tuple[int, int, float, float]] | None:
        events.append((self, size))
        return original_draft(self, mode, size)

    def load(self: JpegImageFile) -> object:
        events.append((self, "load"))
        return original_load(self)

    monkeypatch.setattr(JpegImageFile, "draft", draft)
    monkeypatch.setattr(JpegImageFile, "load", load)
    process_upload(images.jpeg(size=(3200, 2400)))

    files: list[JpegImageFile] = []
    for file, _ in events:
        if not any(file is known for known in files):
            files.append(file)
    numbered = [(next(i for i, f in enumerate(files) if f is file), what) for file, what in events]
    # load() is called again by later operations (a no-op once decoded): keep the first of a run.
    calls = [call for i, call in enumerate(numbered) if i == 0 or call != numbered[i - 1]]
    assert calls == [
        (0, "load"),  # the upload, decoded in full
        (1, (1600, 1200)),  # a fresh open for the display size: draft() before load()...
        (1, "load"),
        (2, (400, 300)),  # ...and another for the thumbnail
        (2, "load"),
    ]


# --- Hash, capture date, determinism ----------------------------------------------------------


def test_sha256_is_of_the_uploaded_bytes() -> None:
    upload = images.jpeg_with_metadata()
    photo = process_upload(upload)
    assert photo.sha256 == hashlib.sha256(upload).hexdigest()
    assert photo.sha256 != hashlib.sha256(photo.image).hexdigest()


def test_same_upload_twice_gives_the_same_hash_and_output() -> None:
    upload = images.png()
    first, second = process_upload(upload), process_upload(upload)
    assert first.sha256 == second.sha256
    assert first.image == second.image


def test_capture_date_from_date_time_original() -> None:
    photo = process_upload(images.jpeg_with_metadata())
    assert photo.captured_at == dt.datetime(2024, 3, 15, 10, 20, 30)


def exif_with(date_time: object = None, date_time_original: object = None) -> Image.Exif:
    exif = Image.Exif()
    if date_time is not None:
        exif[images.DATETIME] = date_time
    if date_time_original is not None:
        exif.get_ifd(images.EXIF_IFD)[images.DATETIME_ORIGINAL] = date_time_original
    return exif


@pytest.mark.parametrize(
    ("exif", "expected"),
    [
        (exif_with(date_time="2023:11:02 16:45:00"), dt.datetime(2023, 11, 2, 16, 45)),
        (
            exif_with(date_time="2023:11:02 16:45:00", date_time_original="2023:11:01 09:00:00"),
            dt.datetime(2023, 11, 1, 9, 0),
        ),
        (exif_with(date_time_original="2023:11:01 09:00:00\x00"), dt.datetime(2023, 11, 1, 9)),
        (exif_with(date_time_original="not a date"), None),
        (exif_with(date_time_original="0000:00:00 00:00:00"), None),
        (exif_with(date_time_original="2023:13:45 99:00:00"), None),
        (Image.Exif(), None),
    ],
    ids=[
        "datetime-fallback",
        "original-wins",
        "nul-padded",
        "garbage",
        "zeros",
        "impossible",
        "none",
    ],
)
def test_capture_date_falls_back_and_never_crashes(
    exif: Image.Exif, expected: dt.datetime | None
) -> None:
    assert process_upload(images.jpeg_with_exif(exif)).captured_at == expected


def test_photo_without_exif_has_no_capture_date() -> None:
    assert process_upload(images.jpeg()).captured_at is None


def test_repr_never_carries_the_photo_bytes() -> None:
    # A ProcessedPhoto in a log line or a traceback must not leak a patient's face.
    text = repr(process_upload(images.jpeg()))
    assert "image=" not in text
    assert "thumbnail=" not in text
    assert "sha256=" in text
