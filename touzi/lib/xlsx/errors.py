"""What reading a workbook can refuse, as message codes: rendered in the reader's language when shown.

`SheetError` refuses a whole file; `CellError` (a ValueError) refuses one cell. Both carry a `Message`
(`.msg`) that callers store as code and parameters (`msg.as_json()`); `.message` / `str()` is the text in
the active language, for callers that show it at once.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touzi.lib.messages import Message, define

# --- the whole file ---------------------------------------------------------------------------------------
MSG_LEGACY = define("xlsx.legacy", _("文件已加密或为旧版 Excel(.xls)格式,请另存为 .xlsx 后上传"))
MSG_NOT_XLSX = define("xlsx.not_xlsx", _("文件不是有效的 Excel(.xlsx)文件"))
MSG_BOMB = define("xlsx.bomb", _("文件解压后过大,疑似压缩炸弹,已拒绝"))
MSG_BROKEN = define("xlsx.broken", _("文件已损坏或不完整"))
MSG_UNREADABLE = define("xlsx.unreadable", _("无法读取该 Excel 文件:文件已损坏或格式不受支持"))
MSG_NO_SHEET = define("xlsx.no_sheet", _("文件中没有工作表"))
MSG_SHEET_MISSING = define("xlsx.sheet_missing", _("未找到名为「%(sheet)s」的工作表"))
MSG_AREA = define("xlsx.area", _("表格区域过大(超过 %(cells)s 个单元格),请删除多余的行和列后上传"))
MSG_DECLARED = define("xlsx.declared", _("文件声明的内容数量与实际内容不符,疑似伪造文件,已拒绝"))
MSG_MEMORY = define("xlsx.memory", _("读取该文件所需内存超过上限,已拒绝;请检查文件是否由 Excel 正常保存"))
MSG_TIMEOUT = define("xlsx.timeout", _("读取该文件耗时超过上限,已拒绝;请检查文件是否由 Excel 正常保存"))
MSG_TOO_LARGE_MB = define("xlsx.too_large_mb", _("文件过大,不能超过 %(mb)s MB"))
MSG_TOO_LARGE_BYTES = define("xlsx.too_large_bytes", _("文件过大,不能超过 %(bytes)s 字节"))
MSG_TOO_MANY_ROWS = define("xlsx.too_many_rows", _("行数超过上限 %(rows)s 行"))
MSG_TOO_MANY_COLUMNS = define("xlsx.too_many_columns", _("表头列数超过上限 %(columns)s 列"))
MSG_HEADER_MISSING = define("xlsx.header_missing", _("未找到表头:缺少列%(names)s"))
MSG_HEADER_TWICE = define("xlsx.header_twice", _("表头「%(header)s」重复出现(第%(first)s列和第%(second)s列)"))
# The sandbox's worker refused with a message of its own, known only as text.
MSG_REFUSED = define("xlsx.refused", "%(detail)s")

# --- notes on a table that was read (not refusals) -----------------------------------------------------------
MSG_HEADER_BELOW = define("xlsx.header_below", _("表头在第%(row)s行,已跳过上方%(skipped)s行标题"))
MSG_BLANK_ROW = define("xlsx.blank_row", _("空行"))
MSG_SUBTOTAL_ROW = define("xlsx.subtotal_row", _("小计/合计行,已跳过"))

# --- one cell ---------------------------------------------------------------------------------------------
MSG_NOT_NUMBER = define("xlsx.not_number", _("不是有效的数字"))
MSG_NUMBER_FORMAT = define("xlsx.number_format", _("无法识别的数字格式"))
MSG_NUMBER_PERCENT = define("xlsx.number_percent", _("请不要填写百分号,只填写数字"))
MSG_NUMBER_SCIENTIFIC = define("xlsx.number_scientific", _("不支持科学计数法(如 1E+3),请直接填写数字"))
MSG_NUMBER_PLACES = define("xlsx.number_places", _("最多保留%(places)s位小数"))
MSG_MONTH = define("xlsx.month", _("年月应为 YYYY-MM,例如 2023-03"))
MSG_MONTH_AMBIGUOUS = define("xlsx.month_ambiguous", _("年月格式有歧义,请填写为 2023-10 这样的文本"))
MSG_DATE = define("xlsx.date", _("日期格式应为 YYYY-MM-DD"))
MSG_DATE_INVALID = define("xlsx.date_invalid", _("日期不存在,请检查年、月、日"))
MSG_DATE_YEAR = define("xlsx.date_year", _("日期年份应在 1900 到 2100 之间"))


class SheetError(Exception):
    """A file-level problem: the whole file is refused; `.msg` says why (`.message` in the active language)."""

    def __init__(self, msg: Message) -> None:
        super().__init__(msg.code)
        self.msg = msg

    @property
    def message(self) -> str:
        return self.msg.render()

    def __str__(self) -> str:
        return self.msg.render()


class CellError(ValueError):
    """One cell refused: `.msg` says why; `str()` is the text in the active language."""

    def __init__(self, msg: Message) -> None:
        super().__init__(msg.code)
        self.msg = msg

    def __str__(self) -> str:
        return self.msg.render()
