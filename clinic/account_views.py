"""The signed-in user's own account: two-factor enrolment, the code step after the password."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from clinic import two_factor

# Wrong codes allowed at the code step before the half-signed-in session is ended.
MAX_CODE_FAILURES = 5
FAILURES_SESSION_KEY = "clinic_two_factor_failures"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_settings(request):
    """Enrol an authenticator (QR code, then one code), see recovery codes once, or turn off."""
    if two_factor.has_two_factor(request.user):
        return _two_factor_enrolled(request)
    return _two_factor_enrolling(request)


def _two_factor_enrolled(request):
    """An enrolled user proves a code to renew the recovery codes or to turn two-factor off."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if request.POST.get("action") == "new-codes":
            codes = two_factor.recovery_codes_renew(user=user, code=code)
            if codes is not None:
                context = {"codes": codes, "next": reverse("two_factor"), "renewed": True}
                return render(request, "clinic/two_factor_codes.html", context)
        elif two_factor.two_factor_disable(user=user, code=code):
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("two_factor")
        form.add_error("code", "That code did not work, so nothing was changed.")
    context = {
        "form": form,
        "required": two_factor.requires_two_factor(user),
        "recovery_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "clinic/two_factor.html", context)


def _two_factor_enrolling(request):
    """A QR code and its secret, then one code from the app confirms the enrolment."""
    user = request.user
    device = two_factor.authenticator_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_enrol(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            # Shown on this response only: no page shows them again (new ones need a new enrolment).
            context = {"codes": codes, "next": _safe_next(request, reverse("dashboard"))}
            return render(request, "clinic/two_factor_codes.html", context)
        form.add_error("code", "That code did not match. Check the app's clock and try again.")
    context = {
        "form": form,
        "qr_svg": two_factor.authenticator_qr_svg(device),
        "secret": two_factor.authenticator_secret(device),
        "required": two_factor.requires_two_factor(user),
        "next": _safe_next(request, ""),
    }
    return render(request, "clinic/two_factor_enrol.html", context)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of sign-in: a code from the authenticator app or a recovery code."""
    next_url = _safe_next(request, reverse("dashboard"))
    if request.user.is_verified() or not two_factor.has_two_factor(request.user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"]):
            request.session.pop(FAILURES_SESSION_KEY, None)
            return redirect(next_url)
        failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
        request.session[FAILURES_SESSION_KEY] = failures
        if failures >= MAX_CODE_FAILURES:
            # Guessing codes costs the password step too: axes counts this as a failed sign-in.
            username = request.user.get_username()
            logout(request)
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
            messages.error(request, "Too many wrong codes. Sign in again.")
            return redirect("login")
        form.add_error(
            "code",
            "That code did not work. Codes change every 30 seconds and each works once; "
            "wait for the next one, or use a recovery code.",
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})
