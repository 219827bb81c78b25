# Simplified Chinese: as written in Chinese official and statistical documents. Formats not named here are
# Django's own for zh-Hans.
DATE_FORMAT = "Y年n月j日"  # 2023年12月5日
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2023年12月5日 14:30
YEAR_MONTH_FORMAT = "Y年n月"  # 2023年12月
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
