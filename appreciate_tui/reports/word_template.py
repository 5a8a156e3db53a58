"""A partnership's own Word template for Word exports: its styles, page, header, footer and logo,
none of its text.

A template comes from outside, so it is read as data and nothing else. Only a .docx (or .dotx)
is taken; a macro-enabled file, a file that is not a Word package, a damaged one or one that
unpacks to far more than a template needs is refused with the reason, before anything is
written. From the package only these parts are taken, checked to be well-formed XML without a
DTD: the styles, the theme (the fonts and colours the styles name), the list numbering, and the
headers and footers of the last section with the pictures they show. Their links may point only
at pictures inside the file or at web pages to click; a field that fetches or runs something
(DDE, INCLUDEPICTURE…) refuses the template. Its settings, body text, embedded objects, fonts
and everything else stay behind.

The report's paragraphs keep their own style names (docx.py writes Title, Heading1, ListBullet,
Quote, TableGrid…); `restyle` points them at the template's style of the same Word name (Title,
heading 1, List Bullet, Quote or Intense Quote…). A style the template lacks is added from the
report's own blank template and named in `missing`, for the one-line warning.

The template's XML is copied byte for byte, never re-serialised, so Word finds its namespaces and
compatibility markings as it wrote them. What is added to it (a missing style, a bullet list's
numbering) declares its own namespace.
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NoReturn
from xml.etree import ElementTree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"

MAX_FILE = 50 * 1024 * 1024
"""A template of styles, a header and a logo is well under a megabyte; fifty is generous."""
MAX_ENTRIES = 2000
MAX_UNPACKED = 64 * 1024 * 1024
"""What the parts read may unpack to, together: a zip bomb stops here, mid-part."""

_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_PICTURES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}
# Field codes that reach outside the document or run something when it is opened or updated.
_ACTIVE_FIELD = re.compile(
    r"(?<!\w)(DDEAUTO|DDE|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|IMPORT|MACROBUTTON)(?!\w)",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(r'<(?:\w+:)?instrText\b[^>]*>([^<]*)<|\binstr="([^"]*)"')


@dataclass(frozen=True)
class _Role:
    ours: str  # the style id the report's paragraphs use
    kind: str  # paragraph or table
    names: tuple[str, ...]  # the template's styles tried in turn, by Word name


ROLES = (
    _Role("Title", "paragraph", ("Title",)),
    _Role("Heading1", "paragraph", ("Heading 1",)),
    _Role("Heading2", "paragraph", ("Heading 2",)),
    _Role("Heading3", "paragraph", ("Heading 3",)),
    _Role("ListBullet", "paragraph", ("List Bullet",)),
    _Role("ListBullet2", "paragraph", ("List Bullet 2", "List Bullet")),
    _Role("ListBullet3", "paragraph", ("List Bullet 3", "List Bullet 2", "List Bullet")),
    _Role("ListParagraph", "paragraph", ("List Paragraph", "List")),
    _Role("Quote", "paragraph", ("Quote", "Intense Quote", "Quotations", "Block Text")),
    _Role("TableGrid", "table", ("Table Grid",)),
)
# Each bullet style's list in the blank template's numbering (python-docx's default.docx).
_BULLET_NUMBERS = {"ListBullet": "1", "ListBullet2": "2", "ListBullet3": "3"}


class TemplateRefused(ValueError):
    """The file cannot serve as a Word template; the message says why."""


@dataclass
class WordTemplate:
    """What a Word export takes from the template, ready to put in the package."""

    source: str
    opening: str = ""  # the template's <w:document …> tag, with its namespaces
    section: str = ""  # its last section's properties: page, margins, header and footer
    text_width: int = 9638  # the page's width inside the margins, in twentieths of a point
    styles: dict[str, str] = field(default_factory=dict)  # the report's style id -> template's
    missing: tuple[str, ...] = ()  # Word names of the styles the template lacks
    parts: dict[str, bytes] = field(default_factory=dict)  # to add to the package, or replace
    relationships: str = ""  # <Relationship/> elements for the header and footer parts
    content_types: str = ""  # <Default/> and <Override/> elements for what is added

    @property
    def closing(self) -> str:
        """The end tag that matches `opening`."""
        return f"</{self.opening[1:].split()[0].rstrip('>')}>"

    @property
    def warning(self) -> str:
        """One line naming the styles the template lacks, or ''."""
        if not self.missing:
            return ""
        names = ", ".join(f'"{name}"' for name in self.missing)
        kind = "style" if len(self.missing) == 1 else "styles"
        return f"the Word template has no {names} {kind}; the report's own is used instead"

    def restyle(self, body: str) -> str:
        """The body's paragraph and table styles pointed at the template's."""
        styles = self.styles
        return _STYLE_REFERENCE.sub(
            lambda m: f"{m.group(1)}{styles.get(m.group(2), m.group(2))}{m.group(3)}", body
        )

    def apply(self, parts: dict[str, bytes]) -> None:
        """Put the template's parts into the blank package's `parts` (changed in place)."""
        parts.pop("word/stylesWithEffects.xml", None)  # Word 2010 would read it, not styles.xml
        parts.update(self.parts)
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        rels = re.sub(r'\s*<Relationship [^>]*Target="stylesWithEffects.xml"[^>]*/>', "", rels)
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", self.relationships + "</Relationships>"
        ).encode("utf-8")
        types = parts["[Content_Types].xml"].decode("utf-8")
        types = re.sub(r'\s*<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", types)
        parts["[Content_Types].xml"] = types.replace(
            "</Types>", self.content_types + "</Types>"
        ).encode("utf-8")


_STYLE_REFERENCE = re.compile(r'(<w:(?:pStyle|tblStyle) w:val=")([A-Za-z0-9]+)(")')


def load(path: str | Path) -> WordTemplate:
    """The template at `path`, checked; `TemplateRefused` says why one cannot be used. Read once
    while the file is unchanged."""
    path = Path(path).expanduser()
    try:
        status = path.stat()
    except FileNotFoundError:
        raise TemplateRefused(f"there is no Word template at {path}") from None
    except OSError as exc:
        raise TemplateRefused(f"the Word template {path} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise TemplateRefused(f"the Word template {path} is not a file")
    return _load(str(path.resolve()), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int, size: int) -> WordTemplate:
    suffix = Path(path).suffix.lower()
    it = f"the Word template {path}"
    if suffix in (".docm", ".dotm"):
        raise TemplateRefused(
            f"{it} is a macro-enabled Word file ({suffix}); templates with macros are never "
            "used: save it as a Word Document (.docx)"
        )
    if suffix not in (".docx", ".dotx"):
        raise TemplateRefused(
            f"{it} is not a Word file (.docx); save it from Word or LibreOffice as a Word "
            "Document (.docx)"
        )
    if size > MAX_FILE:
        raise TemplateRefused(f"{it} is over {MAX_FILE // 2**20} MB, far more than a template")
    try:
        with zipfile.ZipFile(path) as package:
            return _Reader(path, package).template()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise TemplateRefused(
            f"{it} is damaged, or not a Word file (.docx) inside, or protected by a password "
            f"({exc})"
        ) from None
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted member
        raise TemplateRefused(f"{it} cannot be read as a Word file ({exc})") from None


class _Reader:
    """Reads the parts a template gives, within limits."""

    def __init__(self, path: str, package: zipfile.ZipFile) -> None:
        self.path = path
        self.package = package
        self.budget = MAX_UNPACKED
        entries = package.infolist()
        if len(entries) > MAX_ENTRIES:
            self.refuse(f"holds more than {MAX_ENTRIES} parts (a zip bomb?)")
        self.names = {entry.filename for entry in entries}
        self.lower_names = {name.lower(): name for name in self.names}
        self.media = 0

    def refuse(self, why: str) -> NoReturn:
        raise TemplateRefused(f"the Word template {self.path} {why}")

    def read(self, name: str) -> bytes:
        actual = self.lower_names.get(name.lower())
        if actual is None:
            self.refuse(f"is damaged: {name} is missing")
        with self.package.open(actual) as member:
            data = member.read(self.budget + 1)
        if len(data) > self.budget:
            self.refuse(
                f"unpacks to more than {MAX_UNPACKED // 2**20} MB, far more than a template "
                "(a zip bomb?)"
            )
        self.budget -= len(data)
        return data

    def xml(self, name: str) -> bytes:
        """Part `name`, checked to be well-formed XML without a DTD (expat alone: a tenth of the
        time of building the tree, for a large styles part)."""
        from xml.parsers import expat

        data = self.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            self.refuse(f"is damaged: {name} declares a DTD, which Word files never do")
        try:
            expat.ParserCreate().Parse(data, True)
        except expat.ExpatError as exc:
            self.refuse(f"is damaged: {name} is not well-formed XML ({exc})")
        return data

    def tree(self, name: str) -> ElementTree.Element:
        """A small part (content types, relationships) as a tree."""
        return ElementTree.fromstring(self.xml(name))

    def relationships(self, source: str) -> list[dict[str, str]]:
        """The relationships of part `source` ('' for the package), targets resolved."""
        folder, base = posixpath.split(source)
        name = posixpath.join(folder, "_rels", f"{base}.rels")
        if name.lower() not in self.lower_names:
            return []
        root = self.tree(name)
        found = []
        for rel in root.iter(f"{_PACKAGE_RELS}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "") == "External"
            if not external:
                target = posixpath.normpath(
                    target[1:] if target.startswith("/") else posixpath.join(folder, target)
                )
                if target.startswith("../") or target == "..":
                    self.refuse(f"is damaged: {name} points outside the package")
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            found.append(dict(id=rel.get("Id", ""), type=kind, target=target,
                              external="1" if external else ""))
        return found

    def template(self) -> WordTemplate:
        for name in self.names:
            low = name.lower()
            if low.endswith(("vbaproject.bin", "vbadata.xml")) or low.startswith("word/vba"):
                self.refuse(
                    "holds macros; templates with macros are never used: save it as a Word "
                    "Document (.docx) without them"
                )
        types = self.tree("[Content_Types].xml")
        main = next(
            (r["target"] for r in self.relationships("") if r["type"] == "officeDocument"), None
        )
        if main is None:
            self.refuse("is not a Word document (it has no document part)")
        overrides = types.iter(f"{_TYPES}Override")
        kinds = (o.get("ContentType", "") for o in overrides
                 if o.get("PartName", "").lstrip("/").lower() == main.lower())
        kind = next(kinds, "")
        if "macroenabled" in kind.lower():
            self.refuse("is macro-enabled; templates with macros are never used")
        if kind not in _MAIN_TYPES:
            self.refuse(f"is not a Word document ({kind or 'no document type'})")
        template = WordTemplate(source=self.path)
        self.document(template, self.xml(main).decode("utf-8", "replace"))
        rels = {r["id"]: r for r in self.relationships(main)}
        self.section(template, rels)
        by_type = {r["type"]: r for r in rels.values() if not r["external"]}
        if "theme" in by_type:
            self.carry(template, by_type["theme"]["target"], "word/theme/theme1.xml", "theme")
        numbering = None
        if "numbering" in by_type:
            self.carry(template, by_type["numbering"]["target"], "word/numbering.xml", "numbering")
            numbering = template.parts["word/numbering.xml"].decode("utf-8")
        if "styles" in by_type:
            styles = self.xml(by_type["styles"]["target"]).decode("utf-8", "replace")
            self.styles(template, styles, numbering)
        return template

    def document(self, template: WordTemplate, text: str) -> None:
        opening = re.search(r"<(?:(\w+):)?document\b[^>]*>", text)
        if opening is None:
            self.refuse("is damaged: its document has no start")
        tag = opening.group()
        prefix = f":{opening.group(1)}" if opening.group(1) else ""
        if f' xmlns{prefix}="{W}"' not in tag:
            self.refuse(
                "is not a Word document we can read (saved as Strict Open XML?); save it as a "
                "Word Document (.docx)"
            )
        bound = re.search(r'\sxmlns:w="([^"]*)"', tag)
        if bound is None:
            tag = tag[:-1] + f' xmlns:w="{W}">'
        elif bound.group(1) != W:
            self.refuse("is not a Word document we can read (its 'w' prefix means something else)")
        template.opening = tag
        section = _last_section(text)
        if section is None:
            return
        template.section = re.sub(r"<(?:\w+:)?printerSettings\b[^>]*/>", "", section)
        size = re.search(r"<(?:\w+:)?pgSz\b[^>]*>", section)
        margins = re.search(r"<(?:\w+:)?pgMar\b[^>]*>", section)
        if size is None or margins is None:
            return
        try:
            width = int(_attribute(size.group(), "w") or "") - sum(
                int(_attribute(margins.group(), side) or 0) for side in ("left", "right", "gutter")
            )
        except ValueError:  # a measure such as "2.5cm": keep the report's own width
            return
        if width > 1440:  # narrower than an inch: a table would not fit anyway
            template.text_width = width

    def section(self, template: WordTemplate, rels: dict[str, dict[str, str]]) -> None:
        """The headers and footers the last section names, under new names."""
        if not template.section:
            return
        counts = {"header": 0, "footer": 0}
        renamed: dict[str, str] = {}

        def reference(match: re.Match[str]) -> str:
            kind, tag = match.group(1), match.group(0)
            old = re.search(r'\s\w+:id="([^"]*)"', tag)
            rel = rels.get(old.group(1)) if old else None
            if old is None or rel is None or rel["external"] or rel["type"] != kind:
                self.refuse(f"is damaged: a {kind} of its page is missing")
            if old.group(1) not in renamed:
                counts[kind] += 1
                number = counts[kind]
                name = f"word/{kind}{number}.xml"
                self.carry(template, rel["target"], name, f"page {kind}")
                new_id = f"rIdTemplate{kind.title()}{number}"
                template.relationships += (
                    f'<Relationship Id="{new_id}" Type="{_REL}{kind}" '
                    f'Target="{kind}{number}.xml"/>'
                )
                template.content_types += (
                    f'<Override PartName="/{name}" ContentType="{_HEADER_TYPE.format(kind)}"/>'
                )
                renamed[old.group(1)] = new_id
            start, end = old.span(1)
            return tag[:start] + renamed[old.group(1)] + tag[end:]

        template.section = re.sub(
            r"<(?:\w+:)?(header|footer)Reference\b[^>]*>", reference, template.section
        )

    def carry(self, template: WordTemplate, source: str, name: str, what: str) -> None:
        """Part `source` as `name`, with the pictures it shows; refused if it links elsewhere."""
        data = self.xml(source)
        text = data.decode("utf-8", "replace")
        instructions = " ".join(a or b for a, b in _INSTRUCTION.findall(text))
        active = _ACTIVE_FIELD.search(instructions)
        if active:
            self.refuse(
                f"has a {active.group(1).upper()} field in its {what}, which fetches or runs "
                "something when the document is opened; remove it from the template"
            )
        kept = []
        for rel in self.relationships(source):
            if rel["type"] == "hyperlink" and rel["external"]:
                kept.append(
                    f'<Relationship Id="{_attr(rel["id"])}" Type="{_REL}hyperlink" '
                    f'Target="{_attr(rel["target"])}" TargetMode="External"/>'
                )
            elif rel["type"] == "image" and not rel["external"]:
                extension = rel["target"].rsplit(".", 1)[-1].lower()
                if extension not in _PICTURES:
                    self.refuse(f"shows a picture of a kind reports do not carry ({rel['target']})")
                self.media += 1
                picture = f"media/template-picture{self.media}.{extension}"
                template.parts[f"word/{picture}"] = self.read(rel["target"])
                if f'Extension="{extension}"' not in template.content_types:
                    template.content_types += (
                        f'<Default Extension="{extension}" ContentType="{_PICTURES[extension]}"/>'
                    )
                kept.append(
                    f'<Relationship Id="{_attr(rel["id"])}" Type="{_REL}image" '
                    f'Target="{picture}"/>'
                )
            elif rel["external"]:
                self.refuse(
                    f"links its {what} to {rel['target']}, outside the file; a report must not "
                    "fetch anything when it is opened"
                )
            else:
                self.refuse(
                    f"has a {rel['type']} in its {what}, which reports do not carry: keep to "
                    "text and pictures there"
                )
        template.parts[name] = data
        if kept:
            folder, base = posixpath.split(name)
            template.parts[f"{folder}/_rels/{base}.rels"] = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                f'<Relationships xmlns="{_PACKAGE_RELS[1:-1]}">'
                + "".join(kept)
                + "</Relationships>"
            ).encode("utf-8")

    def styles(self, template: WordTemplate, text: str, numbering: str | None) -> None:
        """Map the report's styles to the template's by Word name; add the ones it lacks."""
        from appreciate_tui.reports.docx import _template as blank_parts

        by_name: dict[tuple[str, str], str] = {}
        ids: set[str] = set()
        defaults: dict[str, str] = {}
        for style in _STYLE.finditer(text):
            start = style.group(1)
            kind = _attribute(start, "type") or "paragraph"
            style_id = _attribute(start, "styleId") or ""
            ids.add(style_id)
            name = re.search(r"<(?:\w+:)?name\b[^>]*>", style.group(2))
            if name is not None:
                by_name.setdefault((kind, _key(_attribute(name.group(), "val") or "")), style_id)
            if _attribute(start, "default") in ("1", "true", "on") and kind not in defaults:
                defaults[kind] = style_id
        normal = defaults.get("paragraph") or by_name.get(("paragraph", "normal"))
        if normal:
            template.styles["Normal"] = normal
        if "table" in defaults:
            template.styles["TableNormal"] = defaults["table"]
        blank = blank_parts()
        ours = blank["word/styles.xml"].decode("utf-8")
        added: dict[str, str] = {}
        missing: list[str] = []
        wanted = list(ROLES)
        if not normal:
            wanted.insert(0, _Role("Normal", "paragraph", ("Normal",)))
        for role in wanted:
            keys = [(role.kind, _key(name)) for name in role.names]
            found = next((by_name[key] for key in keys if key in by_name), None)
            if found is not None:
                template.styles[role.ours] = found
                continue
            missing.append(role.names[0])
            new_id = role.ours if role.ours not in ids else f"Appreciate{role.ours}"
            ids.add(new_id)
            template.styles[role.ours] = new_id
            definition = re.search(
                rf'<w:style\b[^>]*w:styleId="{role.ours}".*?</w:style>', ours, re.DOTALL
            )
            if definition is None:
                continue
            element = re.sub(r"\s*<w:(?:link|rsid)\b[^>]*/>", "", definition.group())
            element = element.replace("<w:style ", f'<w:style xmlns:w="{W}" ', 1)
            element = element.replace(f'w:styleId="{role.ours}"', f'w:styleId="{new_id}"', 1)
            added[role.ours] = re.sub(
                r'(<w:(?:basedOn|next) w:val=")([^"]*)(")',
                lambda m: m.group(1) + template.styles.get(m.group(2), m.group(2)) + m.group(3),
                element,
            )
        bullets = [style for style in added if style in _BULLET_NUMBERS]
        if bullets and numbering is not None:
            # The template's own lists replace the blank template's: bring the bullets along.
            merged, numbers = _merge_numbering(
                numbering, blank["word/numbering.xml"].decode("utf-8"), bullets
            )
            template.parts["word/numbering.xml"] = merged.encode("utf-8")
            for our_id, number in numbers.items():
                added[our_id] = re.sub(
                    r'(<w:numId w:val=")\d+(")', rf"\g<1>{number}\2", added[our_id]
                )
        template.missing = tuple(missing)
        if added:
            closing = re.search(r"</(?:\w+:)?styles>\s*$", text)
            if closing is None:
                self.refuse("is damaged: its styles do not end")
            text = text[: closing.start()] + "".join(added.values()) + text[closing.start() :]
        template.parts["word/styles.xml"] = text.encode("utf-8")


def _merge_numbering(theirs: str, ours: str, styles: list[str]) -> tuple[str, dict[str, str]]:
    """The template's numbering with the blank template's bullet lists for `styles` added under
    new numbers; and each style's new list number."""
    abstract_ids = [int(n) for n in re.findall(r'abstractNumId="(\d+)"', theirs)]
    num_ids = [int(n) for n in re.findall(r'<(?:\w+:)?num\b[^>]*numId="(\d+)"', theirs)]
    next_abstract = max(abstract_ids, default=-1) + 1
    next_num = max(num_ids, default=0) + 1
    abstracts, nums, numbers = [], [], {}
    for style in styles:
        num = re.search(
            rf'<w:num w:numId="{_BULLET_NUMBERS[style]}">\s*<w:abstractNumId w:val="(\d+)"/>', ours
        )
        if num is None:
            continue
        abstract = re.search(
            rf'<w:abstractNum w:abstractNumId="{num.group(1)}">.*?</w:abstractNum>', ours, re.DOTALL
        )
        if abstract is None:
            continue
        abstracts.append(
            abstract.group()
            .replace("<w:abstractNum ", f'<w:abstractNum xmlns:w="{W}" ', 1)
            .replace(f'w:abstractNumId="{num.group(1)}"', f'w:abstractNumId="{next_abstract}"', 1)
        )
        nums.append(
            f'<w:num xmlns:w="{W}" w:numId="{next_num}">'
            f'<w:abstractNumId w:val="{next_abstract}"/></w:num>'
        )
        numbers[style] = str(next_num)
        next_abstract += 1
        next_num += 1
    closing = re.search(r"</(?:\w+:)?numbering>\s*$", theirs)
    if closing is None or not numbers:
        return theirs, {}
    first_num = re.search(r"<(?:\w+:)?num\b", theirs)
    last_num_end = max((m.end() for m in re.finditer(r"</(?:\w+:)?num>", theirs)), default=None)
    if first_num is None or last_num_end is None:
        at = closing.start()
        return theirs[:at] + "".join(abstracts) + "".join(nums) + theirs[at:], numbers
    merged = (
        theirs[: first_num.start()]
        + "".join(abstracts)
        + theirs[first_num.start() : last_num_end]
        + "".join(nums)
        + theirs[last_num_end:]
    )
    return merged, numbers


def _last_section(text: str) -> str | None:
    """The text of the body's own section properties: the sectPr just before </w:body>."""
    end = re.search(r"</(?:\w+:)?body>\s*</(?:\w+:)?document>\s*$", text)
    if end is None:
        return None
    tags = re.compile(r"<(?:\w+:)?sectPr\b[^>]*?(/?)>|</(?:\w+:)?sectPr>")
    tokens = list(tags.finditer(text, 0, end.start()))
    if not tokens or text[tokens[-1].end() : end.start()].strip():
        return None
    last = tokens[-1]
    if last.group(0).startswith("<") and not last.group(0).startswith("</"):
        return last.group() if last.group(1) == "/" else None
    depth = 0
    for token in reversed(tokens):
        closing = token.group(0).startswith("</")
        if closing:
            depth += 1
        elif token.group(1) != "/":
            depth -= 1
            if depth == 0:
                return text[token.start() : last.end()]
    return None


# A style definition in a well-formed styles part: its start tag, and what it holds.
_STYLE = re.compile(r"(<(?:\w+:)?style\b[^>]*[^/>]>)(.*?)</(?:\w+:)?style>", re.DOTALL)


def _attribute(tag: str, name: str) -> str | None:
    """The value of attribute `name` (any prefix) in a start tag, unescaped."""
    found = re.search(rf'\s(?:\w+:)?{name}="([^"]*)"', tag)
    if found is None:
        return None
    return (
        found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")
    )
