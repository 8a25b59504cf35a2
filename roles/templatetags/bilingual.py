"""`{% load bilingual %}`: bilingual content shown with its fallback marked.

A text whose own language is empty is shown in the other language (`teamorg.i18n.shown_text`);
wherever designs are shown (overview, editor outlines, job descriptions and their PDFs, charters)
that text carries `lang` for its real language and a small "(not translated)" mark, so nobody
mistakes an English KPI inside a Chinese job description for a finished translation.

    {{ role|shown:"title" }}         a model's bilingual field
    {{ role|shown_lines:"summary" }} the same with line breaks kept (`linebreaksbr`)
    {{ line.description|marked }}    a `ShownText` a reader already computed
    <ol{{ doc.functions_shown|untranslated_attrs }}>  lang and title on a whole block
    {% untranslated_mark doc.functions_shown %}     the mark alone, after a block's heading
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext

from roles.editor.bilingual import HTML_LANG
from teamorg.i18n import ShownText, shown_value

register = template.Library()


def _mark() -> SafeString:
    return format_html('<small class="untranslated-mark">{}</small>', gettext("(not translated)"))


def render_shown(shown: ShownText, *, lines: bool = False) -> SafeString:
    """The HTML of a shown text: escaped; when it fell back, wrapped with its language and
    followed by the mark. `lines` turns line breaks into `<br>`."""
    text = conditional_escape(shown.text)
    if lines:
        text = mark_safe(normalize_newlines(text).replace("\n", "<br>"))  # escaped above
    if not shown.fell_back:
        return text
    return format_html(
        '<span class="untranslated" lang="{}" title="{}">{}</span> {}',
        HTML_LANG[shown.language],
        gettext("not translated"),
        text,
        _mark(),
    )


@register.filter
def shown(instance, name: str) -> SafeString:
    """Bilingual field `name` of `instance` in the active language, its fallback marked."""
    if instance is None:
        return mark_safe("")
    return render_shown(shown_value(instance, name))


@register.filter
def shown_lines(instance, name: str) -> SafeString:
    """Like `shown`, keeping the text's line breaks."""
    if instance is None:
        return mark_safe("")
    return render_shown(shown_value(instance, name), lines=True)


@register.filter
def marked(value) -> SafeString:
    """A `ShownText` rendered like `shown`; any other value is escaped as usual."""
    if isinstance(value, ShownText):
        return render_shown(value)
    return conditional_escape(value)


@register.filter
def untranslated_attrs(value) -> SafeString:
    """For a block holding a fallen-back `ShownText`: its `lang` and title attributes (with a
    leading space; the block's own class attribute adds `untranslated`); nothing otherwise."""
    if not isinstance(value, ShownText) or not value.fell_back:
        return mark_safe("")
    return format_html(
        ' lang="{}" title="{}"',
        HTML_LANG[value.language],
        gettext("not translated"),
    )


@register.simple_tag
def untranslated_mark(value) -> SafeString:
    """The "(not translated)" mark when `value` (a `ShownText`) fell back; nothing otherwise."""
    if isinstance(value, ShownText) and value.fell_back:
        return _mark()
    return mark_safe("")
