"""CSV for Dutch spreadsheets, streamed row by row: semicolons (Dutch Excel reads a comma as
the decimal sign), a byte-order mark so it reads UTF-8, and no cell it would run as a formula."""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from .attendance import AttendanceRow, spreadsheet_safe

BYTE_ORDER_MARK = "\ufeff"
DELIMITER = ";"


class _Echo:
    """Hands back what csv.writer writes, so each row can be yielded as it is made."""

    def write(self, value: str) -> str:
        return value


def decimal_comma(value: Decimal) -> str:
    return str(value).replace(".", ",")


def csv_stream(*, header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Lines of a CSV file, header first; pass it to a StreamingHttpResponse."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER)
    yield BYTE_ORDER_MARK + writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def attendance_cells(row: AttendanceRow) -> list[object]:
    """An attendee's cells in the order of ``attendance_header``."""
    return [
        row.title,
        row.earned_on.isoformat(),
        row.activity_id,
        row.last_name,
        row.initials,
        row.profession,
        row.big_number,
        row.register,
        row.member_number,
        decimal_comma(row.points),
    ]
