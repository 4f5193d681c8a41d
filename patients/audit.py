"""Who looked at which patient's record: the access trail clinic admins read in the admin.

Every view of clinical data writes a row: the app's pages call `access_record`, the admin's
change, history and list pages log through `AccessLoggedAdmin`, and refused attempts (403) are
logged as denied by `DeniedAccessMiddleware`. Apps tell this module which of their URLs name an
object of a patient (`audit_urls`), so a refusal is filed under the patient it was aimed at.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from contextlib import nullcontext

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connections, models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from patients.models import AccessLog

logger = logging.getLogger(__name__)

PATIENT_MODEL = "patients.Patient"
# Attribute paths from a clinical record to its patient, tried in order.
_PATIENT_PATHS = (("patient",), ("session", "patient"), ("assessment", "patient"))
# "namespace:url_name" -> the model whose primary key the URL's `pk` is.
_AUDITED_URLS: dict[str, type[models.Model]] = {}
_DATE_ATTRIBUTES = ("performed_at", "assessed_on", "taken_on", "starts_at", "tested_on", "onset_on")


def audit_urls(model: type[models.Model], *url_names: str) -> None:
    """Files refusals at these URLs under the patient of `model` object `pk`."""
    for name in url_names:
        _AUDITED_URLS[name] = model


def patient_of(obj: models.Model | None):
    if obj is None:
        return None
    if obj._meta.label == PATIENT_MODEL:
        return obj
    for path in _PATIENT_PATHS:
        value = obj
        for attribute in path:
            value = getattr(value, attribute, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def object_label(obj: models.Model | None) -> str:
    """What was opened, as a person would say it: "Treatment session, 14 Sep 2026"."""
    if obj is None:
        return ""
    return _label(obj, _kind(obj))


def _kind(obj: models.Model) -> str:
    name = str(obj._meta.verbose_name)  # translated: a catalogue lookup
    return name[:1].upper() + name[1:]


def _label(obj: models.Model, name: str) -> str:
    for attribute in _DATE_ATTRIBUTES:
        value = getattr(obj, attribute, None)
        if isinstance(value, dt.datetime):
            return f"{name}, {timezone.localtime(value):%d %b %Y}"
        if isinstance(value, dt.date):
            return f"{name}, {value:%d %b %Y}"
    if obj._meta.label == PATIENT_MODEL:
        return f"Patient record ({getattr(obj, 'mrn', '')})"
    return name


def _row(request: HttpRequest, *, patient, action: str, obj, label: str = "") -> AccessLog:
    return AccessLog(
        user=request.user if request.user.is_authenticated else None,
        username=request.user.get_username()[:150],
        action=action,
        patient=patient,
        patient_mrn=getattr(patient, "mrn", "") or "",
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk)[:50] if obj is not None else "",
        object_label=(label or object_label(obj))[:200],
        path=request.get_full_path()[:500],
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )


def access_record(
    request: HttpRequest,
    *,
    patient,
    action: str = AccessLog.Action.VIEW,
    obj: models.Model | None = None,
    label: str = "",
) -> None:
    """`label` names what was opened when there is no record (a clinic-wide export). Written as
    values in one INSERT, as access_record_many does: every chart, assessment and session page
    logs a row, and saving an AccessLog instance cost a twentieth of a chart."""
    label = label or object_label(obj if obj is not None else patient)
    template = _row(request, patient=None, action=action, obj=None, label=label)
    _insert_views(template, [_own(patient, obj, label)])


def access_record_many(
    request: HttpRequest, objects: Iterable[models.Model], *, label: str = ""
) -> None:
    """One row per record shown on a list page, in one INSERT (a batch per few thousand rows).

    The rows are written as values, not models: an admin list logs 25 rows on every page, and
    building, preparing and bulk-inserting 25 AccessLog instances cost a fifth of the page. The
    values are the ones `_row` gives; the user, path, address and time are prepared once."""
    template = _row(request, patient=None, action=AccessLog.Action.VIEW, obj=None)
    suffix = f" (in {label})" if label else ""
    kinds: dict[type[models.Model], str] = {}  # a list's rows are mostly of one model
    rows = []
    for obj in objects:
        patient = patient_of(obj)
        if patient is not None:
            kind = kinds.get(type(obj))
            if kind is None:
                kind = kinds[type(obj)] = _kind(obj)
            rows.append(_own(patient, obj, f"{_label(obj, kind)[:200]}{suffix}"))
    if rows:
        _insert_views(template, rows)


# The columns _insert_views writes: first those the same in every row, then each row's own.
_SHARED = ("at", "user", "username", "action", "path", "ip_address")
_OWN = ("patient", "patient_mrn", "object_type", "object_id", "object_label")


def _own(patient, obj: models.Model | None, label: str) -> tuple:
    """A row's own values, in _OWN's order (as _row sets them on an AccessLog)."""
    return (
        patient.pk if patient is not None else None,
        getattr(patient, "mrn", "") or "",
        obj._meta.label if obj is not None else "",
        str(obj.pk)[:50] if obj is not None else "",
        label[:200],
    )


def _insert_views(template: AccessLog, rows: list[tuple]) -> None:
    meta = AccessLog._meta
    connection = connections[router.db_for_write(AccessLog)]
    fields = [meta.get_field(name) for name in (*_SHARED, *_OWN)]
    template.at = timezone.now()
    shared = [
        field.get_db_prep_save(getattr(template, field.attname), connection)
        for field in fields[: len(_SHARED)]
    ]
    quote = connection.ops.quote_name
    # Names come from the model, quoted; every value goes as a parameter.
    insert = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A parameter a column, the rows' own as arrays: psycopg parses a statement of a few
            # parameters once per process, one of hundreds on every call.
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields[len(_SHARED) :])
            marks = ", ".join(["%s"] * len(_SHARED))
            columns = [list(column) for column in zip(*rows, strict=True)]
            statement = f"{insert} SELECT {marks}, * FROM unnest({arrays})"  # noqa: S608 - names only
            cursor.execute(statement, shared + columns)
            return
        marks = f"({', '.join(['%s'] * len(fields))})"
        # SQLite says how many parameters a statement takes; so many rows go at a time.
        batch = min(connection.ops.bulk_batch_size(fields, rows) or len(rows), 1000)
        # One statement is atomic by itself; several batches are all written or none.
        together = transaction.atomic(using=connection.alias, savepoint=False)
        with together if len(rows) > batch else nullcontext():
            for start in range(0, len(rows), batch):
                part = rows[start : start + batch]
                values = ", ".join([marks] * len(part))
                params = [value for row in part for value in (*shared, *row)]
                cursor.execute(f"{insert} VALUES {values}", params)


def _refused_object(request: HttpRequest) -> models.Model | None:
    match = request.resolver_match
    if match is None:
        return None
    model = _AUDITED_URLS.get(match.view_name)
    pk = match.kwargs.get("pk")
    if model is None and match.app_name == "admin" and "object_id" in match.kwargs:
        model = _admin_model(match.url_name)
        pk = unquote(match.kwargs["object_id"])
    if model is None or pk is None:
        return None
    try:
        return model._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def _admin_model(url_name: str | None) -> type[models.Model] | None:
    from django.contrib import admin

    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name and url_name.startswith(prefix):
            return model
    return None


class DeniedAccessMiddleware:
    """Logs every refused (403) request of a signed-in user, under the patient when the URL
    names one, so "who tried to open this record" has an answer too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and getattr(request, "_access_denied_logged", False):
            return response
        if response.status_code == 403 and request.user.is_authenticated:
            self._log(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and request.user.is_authenticated:
            self._log(request)
            request._access_denied_logged = True

    def _log(self, request: HttpRequest) -> None:
        try:
            obj = _refused_object(request)
            row = _row(request, patient=patient_of(obj), action=AccessLog.Action.DENIED, obj=obj)
            row.save()
        except Exception:  # the refusal itself must still be answered
            logger.exception("Could not log a refused request to %s", request.path)


class AccessLoggedAdmin:
    """For ModelAdmins of clinical records: the change, history and list pages each log who
    saw which patient's record, as the app's pages do."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and (patient := patient_of(obj)) is not None:
            access_record(request, patient=patient, obj=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        obj = self.get_object(request, unquote(object_id)) if response.status_code == 200 else None
        if (patient := patient_of(obj)) is not None:
            access_record(request, patient=patient, obj=obj)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and (patient := patient_of(obj)) is not None:
            access_record(request, patient=patient, obj=obj)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            label = f"admin list of {self.model._meta.verbose_name_plural}"
            access_record_many(request, changelist.result_list, label=label)
        return response
