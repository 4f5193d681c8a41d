"""Middleware for signed-in sessions: idle and absolute time limits, the two-factor step, and
responses that no browser or proxy keeps."""

import re
import time
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from clinic import two_factor

SIGNED_IN_AT = "clinic_signed_in_at"
LAST_ACTIVITY = "clinic_last_activity"
# Requests the app's own scripts make in the background carry this header; they are not the
# user's activity, so they never extend an idle session.
BACKGROUND_HEADER = "X-Clinic-Background"
# Activity is written to the session at most this often, so an ordinary page view costs no extra
# database write; the idle limit is exact to within this many seconds.
ACTIVITY_RESOLUTION_SECONDS = 60


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: start the absolute and idle clocks, and note what two-factor step this
    session owes (read from the session afterwards, so most requests cost no query)."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.session[two_factor.PENDING_SESSION_KEY] = two_factor.pending_step(user)


def is_background(request) -> bool:
    if request.headers.get(BACKGROUND_HEADER):
        return True
    return any(re.match(pattern, request.path_info) for pattern in settings.IDLE_IGNORED_PATHS)


class IdleTimeoutMiddleware:
    """Signs a session out after IDLE_TIMEOUT_MINUTES without user activity, and after
    SESSION_COOKIE_AGE in all (the session store alone would slide that limit whenever the
    session is saved). Background requests are answered but do not count as activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            idle_for = now - session.get(LAST_ACTIVITY, now)
            signed_in_for = now - session.get(SIGNED_IN_AT, now)
            if idle_for > settings.IDLE_TIMEOUT_MINUTES * 60:
                return self._sign_out(request, "You were signed out after a period of inactivity.")
            if signed_in_for > settings.SESSION_COOKIE_AGE:
                return self._sign_out(request, "Your session ended. Sign in again to continue.")
            # A session from before these clocks existed starts them now.
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = now
            if LAST_ACTIVITY not in session or (
                not is_background(request) and idle_for >= ACTIVITY_RESOLUTION_SECONDS
            ):
                session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, message: str):
        next_url = request.get_full_path() if request.method == "GET" else None
        logout(request)
        messages.info(request, message)
        return redirect_to_login(next_url) if next_url else redirect(settings.LOGIN_URL)


@cache
def _two_factor_open_paths(pending: str) -> frozenset[str]:
    """Pages a half-signed-in session may open: its own step and the ways out."""
    step = "two_factor_verify" if pending == "verify" else "two_factor"
    return frozenset(reverse(name) for name in (step, "logout", "login"))


class TwoFactorMiddleware:
    """Holds a session that owes a second factor at the code step, and a user who must use
    two-factor sign-in but has no authenticator yet at enrolment, whatever page they ask for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_pending = ""
        user = request.user
        if user.is_authenticated and not user.is_verified():
            pending = request.session.get(two_factor.PENDING_SESSION_KEY)
            if pending != "":
                # Re-checked while pending, and when the device that verified this session has
                # since been removed ("verified" but no longer): devices change during a session.
                pending = two_factor.pending_step(user)
                request.session[two_factor.PENDING_SESSION_KEY] = pending
            request.two_factor_pending = pending
            if pending and request.path_info not in _two_factor_open_paths(pending):
                target = "two_factor_verify" if pending == "verify" else "two_factor"
                if pending == "enrol":
                    messages.info(
                        request,
                        "Your role needs two-factor sign-in. Set up an authenticator app to go on.",
                    )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user, so a shared
    treatment-room tablet keeps no patient page in its cache after sign-out. Static files are
    public and keep their long cache headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if request.path_info.startswith(settings.STATIC_URL):
            return response
        # Merged, not overwritten: a view's own stricter directives (no-cache, max-age=0) stay.
        patch_cache_control(response, no_store=True, private=True)
        return response


# Powerful browser features no page needs; a view that does (the photo capture page) sets its
# own header, which this middleware leaves alone.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CAMERA_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: the camera, microphone and location are off
    unless a view allows one for its own page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
