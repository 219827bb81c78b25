from django.db import models
from django.utils.translation import gettext_lazy as _


class QuotaKind(models.TextChoices):
    """The kinds of factor quota (要素指标) a city receives each year and shares among its counties and parks."""

    CONSTRUCTION_LAND = "construction_land", _("新增建设用地指标")
    FARMLAND_OCCUPIED = "farmland_occupied", _("占用耕地")
    FARMLAND_SUPPLEMENT = "farmland_supplement", _("补充耕地")
    SEA = "sea", _("用海")
    FOREST = "forest", _("用林(林地定额)")
    ENERGY = "energy", _("能耗")
    POLLUTANT = "pollutant", _("主要污染物排放总量")


# The measurement unit of each kind (the quota, the requests and the allocations are all in it).
UNIT_OF: dict[str, str] = {
    QuotaKind.CONSTRUCTION_LAND: "亩",
    QuotaKind.FARMLAND_OCCUPIED: "亩",
    QuotaKind.FARMLAND_SUPPLEMENT: "亩",
    QuotaKind.SEA: "公顷",
    QuotaKind.FOREST: "公顷",
    QuotaKind.ENERGY: "吨标准煤",
    QuotaKind.POLLUTANT: "吨",
}
LAND_KINDS = (QuotaKind.CONSTRUCTION_LAND, QuotaKind.FARMLAND_OCCUPIED, QuotaKind.FARMLAND_SUPPLEMENT)
# The quota kinds behind each kind of factor problem (projects.FactorIssue.kind): a project blocked for land
# points to its county's land headroom.
ISSUE_KINDS: dict[str, tuple[str, ...]] = {
    "land": (QuotaKind.CONSTRUCTION_LAND, QuotaKind.FARMLAND_OCCUPIED),
    "sea": (QuotaKind.SEA,),
    "forest": (QuotaKind.FOREST,),
    "energy": (QuotaKind.ENERGY,),
}


class BalanceSource(models.TextChoices):
    """占补平衡: where the farmland that makes up for the farmland occupied comes from."""

    NONE = "", _("不适用")
    OWN = "own", _("县区自行补充")
    LAND_CONSOLIDATION = "consolidation", _("土地整治项目")
    CITY_POOL = "city_pool", _("市级统筹")
    PROVINCE_POOL = "province_pool", _("自治区统筹")
    PURCHASE = "purchase", _("跨区域购买指标")


class AllocationStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    RETURNED = "returned", _("已收回")


class ParcelKind(models.TextChoices):
    """盘活存量土地: land approved but not supplied, or supplied but not used."""

    APPROVED_NOT_SUPPLIED = "not_supplied", _("批而未供")
    SUPPLIED_NOT_USED = "not_used", _("供而未用")
    INEFFICIENT = "inefficient", _("低效用地")


class Disposal(models.TextChoices):
    PENDING = "pending", _("未处置")
    SUPPLIED = "supplied", _("已供地")
    BUILDING = "building", _("已动工")
    RECLAIMED = "reclaimed", _("依法收回")
    REPURPOSED = "repurposed", _("调整用途/置换")
    WITHDRAWN = "withdrawn", _("撤回批文")


# Dispositions that count as 盘活 (reused) against the plan's goal.
REUSED = (Disposal.SUPPLIED, Disposal.BUILDING, Disposal.RECLAIMED, Disposal.REPURPOSED, Disposal.WITHDRAWN)


class FactorWarningKind(models.TextChoices):
    """Early warnings on the factor ledgers (keys `kind:<quota or allocation id>:YYYY-MM`)."""

    OVER_HEADROOM = "factor_over_headroom", _("要素指标申请超出余量")
    NOT_STARTED = "factor_not_started", _("已配置指标的项目逾期未开工")
