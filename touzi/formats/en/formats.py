# English: ISO-like, unambiguous for readers anywhere (no 12/05/2023). Formats not named here are Django's own.
DATE_FORMAT = "Y-m-d"  # 2023-12-05
DATETIME_FORMAT = "Y-m-d H:i"  # 2023-12-05 14:30
YEAR_MONTH_FORMAT = "M Y"  # Dec 2023
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
