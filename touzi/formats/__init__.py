"""How dates and times read in each language (Django's FORMAT_MODULE_PATH): one format for dates, one for times.

Chinese as Chinese users write them (2023年12月5日, 2023年12月5日 14:30, 2023年12月); English ISO-like
(2023-12-05, 2023-12-05 14:30, Dec 2023). Code reaches them through touzi.lib.periods (month_text, date_text,
datetime_text), templates through the filters as_month, as_period, as_date and as_datetime
(touzi/core/templatetags/touzi.py); stored data, exports and the API stay ISO.
"""
