"""Reading a printed chart back with poppler, as a person's PDF reader would: every page's size
and its words with their boxes (`pdftotext -bbox`), the text of some pages, and the printed size
of the smallest word. Shared by the print tests and the print benchmark."""

import re
import subprocess
from dataclasses import dataclass
from functools import cache

from roles.documents.pdf import html_to_pdf

WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass(frozen=True)
class Word:
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str

    @property
    def height(self) -> float:
        return self.y_max - self.y_min


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def size(self) -> tuple[float, float]:
        return self.width, self.height

    def words_outside(self) -> list[Word]:
        """Words not wholly on the paper (a drawing printed larger than its page)."""
        return [
            word
            for word in self.words
            if word.x_min < -0.5
            or word.y_min < -0.5
            or word.x_max > self.width + 0.5
            or word.y_max > self.height + 0.5
        ]


def pages_of(pdf: bytes) -> list[Page]:
    """Every page of `pdf`: its size (pt) and its words."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = []
    for chunk in xml.split("<page ")[1:]:
        size = PAGE.match("<page " + chunk)
        words = [Word(*map(float, found[:4]), found[4]) for found in WORD.findall(chunk)]
        pages.append(Page(float(size.group(1)), float(size.group(2)), words))
    return pages


@cache
def box_height_per_point() -> float:
    """How tall pdftotext reports a word of 1 pt type in our font: measured on a PDF with text
    of a known size rather than taken from the font's metrics by hand."""
    pdf = html_to_pdf("<p style=\"font: 20pt 'Noto Sans CJK SC'\">岗位 Role</p>", tagged=False)
    return min(word.height for word in pages_of(pdf)[0].words) / 20


def smallest_printed_pt(pages: list[Page]) -> float:
    """The type size of the smallest word on `pages`, in points as printed."""
    return min(word.height for page in pages for word in page.words) / box_height_per_point()


def page_text(pdf: bytes, first: int, last: int, mode: str = "-layout") -> str:
    """The text of pages `first` to `last`: `-layout` keeps lines as printed, `-raw` the order
    it was written in (a title wrapped in a box next to its head count reads as one)."""
    return subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), mode, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def missing_titles(pdf: bytes, titles, first: int, last: int) -> list[str]:
    """The titles not printed on pages `first` to `last`."""
    printed = squash(page_text(pdf, first, last, "-raw"))
    return [title for title in titles if squash(title) not in printed]
