"""English as Leerstroom speaks it: British dates (06/12/2026, 6 Dec 2026) and 24-hour times,
not Django's American defaults; read, through FORMAT_MODULE_PATH, whenever English is active."""

from django.conf.locale.en_GB import formats as british

DATE_FORMAT = british.DATE_FORMAT
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = british.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = british.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = british.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = british.FIRST_DAY_OF_WEEK
DATE_INPUT_FORMATS = british.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = british.DATETIME_INPUT_FORMATS
DECIMAL_SEPARATOR = british.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = british.THOUSAND_SEPARATOR
NUMBER_GROUPING = british.NUMBER_GROUPING
