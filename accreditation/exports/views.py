"""Downloads: the learner's own portfolio and evidence, and attendance lists and evidence for
staff with the right."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.private_files import private_file_response

from ..ledger.evidence import evidence_content_type, evidence_download_name
from ..ledger.selectors import ledger_evidence_get
from .attendance import attendance_header, course_attendance_rows
from .csv_stream import attendance_cells, csv_stream
from .forms import AttendanceExportForm, PortfolioPeriodForm
from .portfolio import (
    portfolio_csv_lines,
    portfolio_default_period,
    portfolio_filename,
    portfolio_pdf_render,
    portfolio_registration_get,
)

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _portfolio_request(request, register_slug: str):
    """The learner's registration and the asked period, or a response explaining what is wrong."""
    registration = portfolio_registration_get(user=request.user, register_slug=register_slug)
    if registration is None:
        raise Http404
    period = portfolio_default_period(registration=registration)
    form = PortfolioPeriodForm(request.GET, default_start=period[0], default_end=period[1])
    if not form.is_valid():
        return None, render(
            request, "accreditation/export_invalid.html", {"form": form}, status=400
        )
    return (registration, form.cleaned_data["start"], form.cleaned_data["end"], period), None


@login_required
@never_cache
def portfolio_csv(request, register_slug: str):
    found, problem = _portfolio_request(request, register_slug)
    if problem:
        return problem
    registration, start, end, period = found
    response = StreamingHttpResponse(
        portfolio_csv_lines(registration=registration, start=start, end=end, period=period),
        content_type=CSV_CONTENT_TYPE,
    )
    return _attachment(
        response, portfolio_filename(registration=registration, start=start, end=end, suffix="csv")
    )


@login_required
@never_cache
def portfolio_pdf(request, register_slug: str):
    found, problem = _portfolio_request(request, register_slug)
    if problem:
        return problem
    registration, start, end, period = found
    response = HttpResponse(
        portfolio_pdf_render(registration=registration, start=start, end=end, period=period),
        content_type="application/pdf",
    )
    return _attachment(
        response, portfolio_filename(registration=registration, start=start, end=end, suffix="pdf")
    )


@login_required
@permission_required("accreditation.export_attendance", raise_exception=True)
@never_cache
def attendance_export(request):
    if not request.GET:
        return render(
            request, "accreditation/attendance_export.html", {"form": AttendanceExportForm()}
        )
    form = AttendanceExportForm(request.GET)
    if not form.is_valid():
        return render(request, "accreditation/attendance_export.html", {"form": form}, status=400)
    course_id, register = form.cleaned_data["cursus"], form.cleaned_data["register"]
    rows = course_attendance_rows(course_id=course_id, register_id=register.pk)
    response = StreamingHttpResponse(
        csv_stream(header=attendance_header(), rows=(attendance_cells(row) for row in rows)),
        content_type=CSV_CONTENT_TYPE,
    )
    return _attachment(response, f"aanwezigheid-{course_id}-{register.slug}.csv")


@login_required
@require_GET
def evidence_download(request, entry_id: int):
    entry = ledger_evidence_get(entry_id=entry_id, viewer=request.user)
    if entry is None:
        raise Http404
    return private_file_response(
        file=entry.evidence,
        filename=evidence_download_name(entry.evidence.name),
        content_type=evidence_content_type(entry.evidence.name),
    )
