"""Which column is which: the headers an import recognises, in Chinese and English, and the
values of its choice columns (level, employment type, …) in both languages.

A header is compared after `normalize` (case, full-width brackets and colons, spaces and a
trailing `*` do not matter). Text columns are language-specific: “岗位名称” fills the Chinese
title, “Title” the English one, “岗位名称（英文）” the English one too. The export of a design
(`roles.imports.export`) writes the first alias of the exporter's language, so its headers are
always recognised.

The aliases are data in both languages on purpose, not translated strings: a sheet written in
Chinese must be read the same way by an English-speaking user.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from departments.models import FunctionGroup
from roles.models import EmploymentType, Level, PayStructure, RequirementKind

# key → (label shown in the mapping step, Chinese aliases, English aliases)
FIELDS: dict[str, tuple[object, tuple[str, ...], tuple[str, ...]]] = {
    "type": (_("row type"), ("类型", "行类型"), ("type", "row type")),
    "department_zh": (
        _("department (path, Chinese)"),
        ("部门", "所属部门", "部门路径", "部门名称", "部门(中文)"),
        ("department (chinese)",),
    ),
    "department_en": (
        _("department (path, English)"),
        ("部门(英文)", "英文部门"),
        ("department", "department path", "dept", "department (english)"),
    ),
    "parent_department": (
        _("parent department"),
        ("上级部门", "上级部门名称", "所属上级部门"),
        ("parent department", "parent dept"),
    ),
    "department_code": (
        _("department code"),
        ("部门代码", "部门编码", "部门编号"),
        ("department code", "dept code", "department id"),
    ),
    "code": (
        _("role code"),
        ("岗位代码", "岗位编码", "岗位编号", "职位编码"),
        ("role code", "position code", "job code", "code", "position id"),
    ),
    "title_zh": (
        _("title (Chinese)"),
        ("岗位名称", "岗位", "职位", "职位名称", "岗位名称(中文)"),
        ("title (chinese)",),
    ),
    "title_en": (
        _("title (English)"),
        ("岗位名称(英文)", "英文岗位名称", "英文职位"),
        ("title", "role", "job title", "position", "position title", "title (english)"),
    ),
    "reports_to": (
        _("reports to (title or code)"),
        ("汇报对象", "直接上级", "上级", "上级岗位", "汇报给"),
        ("reports to", "manager", "supervisor", "reports-to"),
    ),
    "level": (_("level"), ("职级", "层级", "级别", "岗位级别"), ("level", "grade")),
    "employment_type": (
        _("employment type"),
        ("用工形式", "用工类型", "雇佣类型", "聘用形式"),
        ("employment type", "employment"),
    ),
    "hiring_priority": (
        _("hiring priority"),
        ("招聘优先级", "招聘顺序", "优先级"),
        ("hiring priority", "priority"),
    ),
    "key_position": (
        _("key position"),
        ("关键岗位", "是否关键岗位", "优先到岗"),
        ("key position", "key role"),
    ),
    "pay_structure": (_("pay structure"), ("薪酬结构", "薪资结构"), ("pay structure",)),
    "salary": (
        _("salary band"),
        ("薪资范围", "薪酬范围", "薪资带宽", "月薪范围", "薪资", "月薪"),
        ("salary band", "salary range", "salary", "monthly salary"),
    ),
    "salary_min": (_("salary from"), ("月薪下限", "薪资下限"), ("salary from", "salary min")),
    "salary_max": (_("salary to"), ("月薪上限", "薪资上限"), ("salary to", "salary max")),
    "pay_note_zh": (_("pay note (Chinese)"), ("薪酬说明", "薪酬备注"), ("pay note (chinese)",)),
    "pay_note_en": (
        _("pay note (English)"),
        ("薪酬说明(英文)",),
        ("pay note", "pay note (english)"),
    ),
    "location_zh": (
        _("work location (Chinese)"),
        ("工作地点", "工作地址", "办公地点"),
        ("work location (chinese)", "location (chinese)"),
    ),
    "location_en": (
        _("work location (English)"),
        ("工作地点(英文)",),
        ("work location", "location", "work location (english)", "location (english)"),
    ),
    "offers_zh": (
        _("what this role offers (Chinese)"),
        ("岗位福利", "福利待遇", "岗位待遇"),
        ("offers (chinese)", "benefits (chinese)"),
    ),
    "offers_en": (
        _("what this role offers (English)"),
        ("岗位福利(英文)",),
        ("offers", "benefits", "what we offer", "offers (english)", "benefits (english)"),
    ),
    "summary_zh": (
        _("summary (Chinese)"),
        ("岗位概述", "职责概述", "概述", "岗位描述", "岗位目的"),
        ("summary (chinese)",),
    ),
    "summary_en": (
        _("summary (English)"),
        ("概述(英文)", "岗位概述(英文)", "职责概述(英文)"),
        ("summary", "description", "summary (english)"),
    ),
    "duties_zh": (
        _("duties (Chinese)"),
        ("岗位职责", "工作职责", "职责", "工作内容"),
        ("duties (chinese)",),
    ),
    "duties_en": (
        _("duties (English)"),
        ("岗位职责(英文)", "职责(英文)"),
        ("duties", "responsibilities", "duties (english)"),
    ),
    "requirements_zh": (
        _("requirements (Chinese)"),
        ("任职要求", "任职资格", "岗位要求", "要求"),
        ("requirements (chinese)",),
    ),
    "requirements_en": (
        _("requirements (English)"),
        ("任职要求(英文)",),
        ("requirements", "qualifications", "requirements (english)"),
    ),
    "kpis_zh": (
        _("KPIs (Chinese)"),
        ("考核指标", "绩效指标", "KPI", "关键绩效指标"),
        ("kpis (chinese)",),
    ),
    "kpis_en": (
        _("KPIs (English)"),
        ("考核指标(英文)",),
        ("kpis", "kpi (english)", "kpis (english)"),
    ),
    "combinable_with": (
        _("may be combined with (codes)"),
        ("可兼任岗位", "一人多职"),
        ("combinable with", "may be combined with"),
    ),
    "functions_zh": (_("functions (Chinese)"), ("工作职能", "部门职能"), ("functions (chinese)",)),
    "functions_en": (_("functions (English)"), ("工作职能(英文)",), ("functions",)),
    "function_group": (_("function group"), ("职能分组", "职能类别"), ("function group",)),
    "from": (_("hand-over from (code)"), ("对接方", "协作起点"), ("from",)),
    "to": (_("hand-over to (code)"), ("对接对象", "协作终点"), ("to",)),
    "start_month": (_("from month"), ("起始月份", "开始月份"), ("from month", "start month")),
    "end_month": (_("to month"), ("结束月份",), ("to month", "end month")),
    "origin": (_("origin"), ("来源",), ("origin",)),
    "source_note": (_("source note"), ("来源说明",), ("source note",)),
}

# A mapping-step choice that is not a field: the header is the name of a growth phase whose
# head count the column holds.
PHASE = "phase"
IGNORE = ""

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalize(header: str) -> str:
    text = unicodedata.normalize("NFKC", header or "").strip().lower()
    text = text.rstrip("*").strip()
    text = text.replace("：", ":").rstrip(":").strip()
    text = re.sub(r"\s*\(\s*", " (", text)
    text = re.sub(r"\s*\)", ")", text)
    text = _SPACES.sub(" ", text)
    # Chinese headers are written without spaces: "部门 (英文)" and "部门(英文)" are one header.
    if re.search(r"[\u4e00-\u9fff]", text):
        text = text.replace(" ", "")
    return text


_ALIASES: dict[str, str] = {}
for _key, (_label, _zh, _en) in FIELDS.items():
    for _alias in (*_zh, *_en):
        _ALIASES.setdefault(normalize(_alias), _key)


def _plan_aliases() -> dict[str, str]:
    """The head-count plan export's headers (roles/planning/exports.py) in both languages."""
    names = {
        "type": "type",
        "department code": "department_code",
        "role code": "code",
        "level": "level",
        "hiring priority": "hiring_priority",
        "salary from": "salary_min",
        "salary to": "salary_max",
    }
    aliases = {}
    for language, department, role in (
        ("zh-hans", "department_zh", "title_zh"),
        ("en", None, None),
    ):
        with translation.override(language):
            for msgid, key in names.items():
                aliases[normalize(pgettext("plan", msgid))] = key
            if department:
                aliases[normalize(pgettext("plan", "department"))] = department
                aliases[normalize(pgettext("plan", "role"))] = role
    return aliases


def field_of(header: str) -> str | None:
    key = normalize(header)
    return _ALIASES.get(key) or _plan_aliases().get(key)


def export_header(key: str, language: str) -> str:
    _label, zh, en = FIELDS[key]
    return zh[0] if language.startswith("zh") else en[0]


# --- head count columns -------------------------------------------------------------------------

_PHASE_PATTERNS = [
    re.compile(r"^(?:编制|人数|人员编制|head ?count|headcount)\s*[:\-·]\s*(?P<name>.+)$"),
    re.compile(r"^(?P<name>.+?)\s*(?:编制|人数|head ?count|headcount)$"),
]


def plan_phase_bound(header: str) -> tuple[str, str] | None:
    """(phase name, "min" or "max") for the plan export's “<phase> min” columns."""
    text = unicodedata.normalize("NFKC", header).strip()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            # The plan export's own column headers (roles/planning/exports.py), written out so
            # that the catalog holds them.
            patterns = {
                "min": pgettext("plan", "%(phase)s min"),
                "max": pgettext("plan", "%(phase)s max"),
            }
            for bound, pattern in patterns.items():
                prefix, _sep, suffix = pattern.partition("%(phase)s")
                if suffix and text.endswith(suffix) and text.startswith(prefix):
                    name = text[len(prefix) : len(text) - len(suffix)].strip()
                    if name:
                        return name, bound
    return None


def phase_name(header: str) -> str | None:
    """The phase a “编制：启动期” / “启动期编制” / “Head count: Launch” column counts."""
    text = unicodedata.normalize("NFKC", header).strip()
    lowered = text.lower()
    for pattern in _PHASE_PATTERNS:
        match = pattern.match(lowered)
        if match:
            start = match.start("name")
            return text[start : start + len(match.group("name"))].strip()
    return None


def phase_header(name: str, language: str) -> str:
    return f"编制：{name}" if language.startswith("zh") else f"Head count: {name}"


# --- choice values ------------------------------------------------------------------------------

_SYNONYMS = {
    "level": {
        "高管": "executive",
        "高层": "executive",
        "总监": "director",
        "经理": "manager",
        "主管": "supervisor",
        "组长": "supervisor",
        "专员": "specialist",
        "员工": "specialist",
        "助理": "assistant",
    },
    "employment_type": {
        "全职": "full-time",
        "兼职": "part-time",
        "外包": "outsourced",
        "劳务派遣": "outsourced",
        "派遣": "outsourced",
    },
    "pay_structure": {},
    "function_group": {},
    "requirement": {
        "学历": "education",
        "教育": "education",
        "教育背景": "education",
        "经验": "experience",
        "工作经验": "experience",
        "技能": "skill",
        "专业技能": "skill",
        "知识": "knowledge",
        "专业知识": "knowledge",
        "素质": "trait",
        "个人素质": "trait",
        "性格": "trait",
        "其他": "other",
        "其它": "other",
    },
}

CHOICES = {
    "level": Level,
    "employment_type": EmploymentType,
    "pay_structure": PayStructure,
    "function_group": FunctionGroup,
    "requirement": RequirementKind,
}


def choice_values(name: str) -> dict[str, str]:
    """Every way a sheet may write a value of the choice `name`: the stored value, its label
    in both languages, and common synonyms."""
    choices = CHOICES[name]
    values = {normalize(value): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                values.setdefault(normalize(str(label)), value)
    for word, value in _SYNONYMS[name].items():
        values.setdefault(normalize(word), value)
    return values


def choice_label(name: str, value: str) -> str:
    return str(dict(CHOICES[name].choices).get(value, value)) if value else ""


def requirement_label(kind: str, preferred: bool, language: str) -> str:
    """A requirement's kind as the design sheet writes it before the text, marked when the
    requirement is a nice-to-have: "学历（优先）", "Education (preferred)". The mark is a fixed
    word of the sheet format, like the phase columns' "编制：" (the reader takes both)."""
    label = choice_label("requirement", kind)
    if not preferred:
        return label
    return f"{label}（优先）" if language.startswith("zh") else f"{label} (preferred)"


# --- yes/no columns ------------------------------------------------------------------------------

# Beside "yes"/"no" in both languages (the export writes the exporter's), what people type in a
# yes/no column: 是/否, √/×, true/false, 1/0. A blank cell is "no".
_FLAG_WORDS = {
    "是": True, "否": False, "√": True, "✓": True, "✔": True, "×": False, "✗": False,
    "y": True, "n": False, "true": True, "false": False, "1": True, "0": False,
    "有": True, "无": False,
}  # fmt: skip


@lru_cache(maxsize=1)
def _flag_words() -> dict[str, bool]:
    words = {normalize(word): value for word, value in _FLAG_WORDS.items()}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value in (True, False):
                words.setdefault(normalize(flag_label(value)), value)
    for value, word in ((True, "yes"), (False, "no")):
        words.setdefault(word, value)
    return words


def flag_value(text: str) -> bool | None:
    """A yes/no cell as True or False (blank: False); None when it is neither."""
    if not (text or "").strip():
        return False
    return _flag_words().get(normalize(text))


def flag_label(value: bool) -> str:
    """How the export writes a yes/no cell, in the active language (是/否, yes/no)."""
    return str(_("yes") if value else _("no"))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def mapping_choices() -> list[tuple[str, str]]:
    """What the mapping step offers for an unknown column."""
    return [
        (IGNORE, str(_("— do not import —"))),
        (PHASE, str(_("head count of the growth phase named in the header"))),
        *((key, str(label)) for key, (label, _zh, _en) in FIELDS.items()),
    ]
