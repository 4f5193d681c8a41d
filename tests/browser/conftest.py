"""Playwright against Debian's Chromium, driving the app served by pytest-django's live_server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

# pytest-playwright's sync API runs an event loop in the test thread; Django refuses database
# calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A tablet in a treatment room: the layout must work at this size.
    return {**browser_context_args, "viewport": {"width": 1024, "height": 768}}


@pytest.fixture
def console_errors(page):
    """Collects console errors (CSP violations, failed assets); tests assert it stays empty."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Good").wait_for()


def open_tab(page, name: str) -> None:
    """Opens a tab of the patient chart from its tab bar, and waits for it."""
    page.get_by_role("navigation", name="Chart sections").get_by_role("link", name=name).click()
    expect(
        page.get_by_role("navigation", name="Chart sections").locator("a[aria-current=page]")
    ).to_have_text(name)


# Chromium's fake camera (a moving test pattern) with the permission prompt answered yes.
FAKE_CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
TABLET_PORTRAIT = {"width": 820, "height": 1180}


@pytest.fixture(scope="session")
def fake_camera_browser(browser_type, browser_type_launch_args):
    """A second Chromium whose camera is the fake device; other tests keep a browser with none."""
    args = [*browser_type_launch_args.get("args", []), *FAKE_CAMERA_ARGS]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


@pytest.fixture
def camera_page(fake_camera_browser):
    """A tablet held upright, with the camera allowed for the page."""
    context = fake_camera_browser.new_context(viewport=TABLET_PORTRAIT, permissions=["camera"])
    page = context.new_page()
    yield page
    context.close()
