"""Reading one parsed YAML document into a FormSpec, collecting every issue."""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from inspector_app.core.forms.constants import (
    ANSWER_TYPES,
    FORM_CODE_RE,
    FORM_KEYS,
    FORM_REQUIRED,
    ITEM_CODE_RE,
    ITEM_KEYS,
    ITEM_REQUIRED,
    SECTION_KEYS,
    SECTION_REQUIRED,
    _suggest,
)
from inspector_app.core.forms.item_reader import ItemPartsReader, _answer_key, _answer_kind, _choice_value  # noqa: F401
from inspector_app.core.forms.spec import (
    FormSpec,
    Item,
    Section,
    _nfc,
    _show,
)
from inspector_app.i18n import _


class _Reader(ItemPartsReader):
    """Reads one parsed YAML document into a FormSpec, collecting issues instead of raising."""

    def read(self, doc: object) -> FormSpec | None:
        if doc is None:
            self.issue(1, _("the file is empty"))
            return None
        if not isinstance(doc, CommentedMap):
            self.issue(
                self.line_of(doc),
                _(
                    "the top level must be a block of keys (code:, version:, title:, sections: …), got {value}"  # noqa: E501
                ).format(value=_show(doc)),
            )
            return None
        self.check_keys(doc, "form", FORM_KEYS, FORM_REQUIRED)
        code = self.text(doc, "code", required=True) or ""
        self.code_line = self.key_line(doc, "code") if "code" in doc else 1
        if code and not FORM_CODE_RE.fullmatch(code):
            self.issue(
                self.code_line,
                _(
                    "form code {code!r} must use lowercase letters a–z, digits, '-' or '_' (e.g. kiem-tra-cong-vu)"  # noqa: E501
                ).format(code=code),
            )
        version = doc.get("version")
        if "version" in doc and not (
            isinstance(version, int) and not isinstance(version, bool) and version >= 1
        ):
            self.wrong_type(doc, "version", _("a whole number ≥ 1"))
            version = 1
        title = self.text(doc, "title", required=True) or ""
        roll_call = self.boolean(doc, "roll_call")
        legal_bases = self.text_list(doc, "legal_bases")

        sections: list[Section] = []
        raw_sections = self.seq(doc, "sections", required=True) if "sections" in doc else None
        if raw_sections is not None:
            self.all_codes = self.prescan_codes(raw_sections)
            self.roll_call = roll_call
            first_section: dict[str, int] = {}
            for index, raw in enumerate(raw_sections):
                line = self.item_line(raw_sections, index)
                if not isinstance(raw, CommentedMap):
                    self.issue(
                        line,
                        _("a section must be a block of keys (code:, title:, items:), got {value}").format(
                            value=_show(raw)
                        ),
                    )
                    continue
                section = self.read_section(raw)
                if section.code in first_section:
                    self.issue(
                        self.key_line(raw, "code"),
                        _("duplicate section code {code!r} (first used on line {first})").format(
                            code=section.code, first=first_section[section.code]
                        ),
                    )
                elif section.code:
                    first_section[section.code] = self.key_line(raw, "code")
                sections.append(section)
        return FormSpec(
            code=code,
            version=int(version) if isinstance(version, int) else 1,
            title=title,
            title_en=self.text(doc, "title_en"),
            description=self.text(doc, "description"),
            roll_call=roll_call,
            legal_bases=legal_bases,
            sections=tuple(sections),
        )

    def text_list(self, node: CommentedMap, key: str) -> tuple[str, ...]:
        raw = node.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, CommentedSeq):
            self.wrong_type(node, key, _("a list"))
            return ()
        out: list[str] = []
        for index, value in enumerate(raw):
            if isinstance(value, str) and value.strip():
                out.append(_nfc(value).strip())
            else:
                self.issue(
                    self.item_line(raw, index),
                    _("each entry of {key!r} must be text, got {value}").format(key=key, value=_show(value)),
                )
        return tuple(out)

    def prescan_codes(self, sections: CommentedSeq) -> dict[str, int]:
        """Item code → line of its first occurrence, to tell 'missing' from 'later' in conditions."""
        codes: dict[str, int] = {}
        for section in sections:
            items = section.get("items") if isinstance(section, CommentedMap) else None
            for item in items if isinstance(items, CommentedSeq) else ():
                code = item.get("code") if isinstance(item, CommentedMap) else None
                if isinstance(code, str):
                    codes.setdefault(_nfc(code).strip(), self.key_line(item, "code"))
        return codes

    def read_section(self, node: CommentedMap) -> Section:
        self.check_keys(node, "section", SECTION_KEYS, SECTION_REQUIRED)
        code = self.text(node, "code", required=True) or ""
        if code and not ITEM_CODE_RE.fullmatch(code):
            self.issue(
                self.key_line(node, "code"),
                _(
                    "section code {code!r} must start with a capital letter and use only A–Z, 0–9, '.', '_' or '-'"  # noqa: E501
                ).format(code=code),
            )
        title = self.text(node, "title", required=True) or ""
        items: list[Item] = []
        raw_items = self.seq(node, "items", required=True) if "items" in node else None
        for index, raw in enumerate(raw_items if raw_items is not None else ()):
            assert raw_items is not None
            if not isinstance(raw, CommentedMap):
                self.issue(
                    self.item_line(raw_items, index),
                    _("an item must be a block of keys (code:, label:, type: …), got {value}").format(
                        value=_show(raw)
                    ),
                )
                continue
            item = self.read_item(raw, code)
            if item.code in self.done:
                self.issue(
                    self.key_line(raw, "code"),
                    _("duplicate item code {code!r} (first used on line {first})").format(
                        code=item.code, first=self.done[item.code].line
                    ),
                )
            elif item.code:
                self.done[item.code] = item
            items.append(item)
        return Section(code=code, title=title, title_en=self.text(node, "title_en"), items=tuple(items))

    # ---- items
    def read_item(self, node: CommentedMap, section: str) -> Item:
        self.check_keys(node, "item", ITEM_KEYS, ITEM_REQUIRED)
        line = self.key_line(node, "code") if "code" in node else self.line_of(node)
        code = self.text(node, "code", required=True) or ""
        if code and not ITEM_CODE_RE.fullmatch(code):
            self.issue(
                self.key_line(node, "code"),
                _(
                    "item code {code!r} must start with a capital letter and use only A–Z, 0–9, '.', '_' or '-' (e.g. B6)"  # noqa: E501
                ).format(code=code),
            )
        kind = self.text(node, "type", required=True) or ""
        if kind and kind not in ANSWER_TYPES:
            suggestion = _suggest(kind, ANSWER_TYPES)
            msg = _("unknown answer type {type!r}; use one of: {types}").format(
                type=kind, types=", ".join(ANSWER_TYPES)
            )
            if suggestion:
                msg += " — " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
            self.issue(self.key_line(node, "type"), msg)
            kind = ""
        choices = self.read_choices(node, kind)
        columns = self.read_columns(node, kind)
        low, high = self.read_bounds(node, kind)
        fail_when = self.read_fail_when(node, kind, choices)
        finding = self.text(node, "finding")
        remedy = self.text(node, "remedy")
        for key, text in (("finding", finding), ("remedy", remedy)):
            if text is not None:
                self.check_placeholders(node, key, text)
                if "fail_when" not in node:
                    self.issue(
                        self.key_line(node, key),
                        _("{key!r} is given but 'fail_when' is missing, so it would never be used").format(
                            key=key
                        ),
                    )
        weight = self.number(node, "weight")
        if weight is not None and weight < 0:
            self.wrong_type(node, "weight", _("a number ≥ 0"))
            weight = None
        return Item(
            code=code,
            label=self.text(node, "label", required=True) or "",
            label_en=self.text(node, "label_en"),
            type=kind,
            required=self.boolean(node, "required"),
            choices=choices,
            columns=columns,
            min=low,
            max=high,
            condition=self.read_condition(node, code),
            fail_when=fail_when,
            finding=finding,
            remedy=remedy,
            legal_basis=self.text(node, "legal_basis"),
            index_criterion=self.text(node, "index_criterion"),
            weight=1.0 if weight is None else float(weight),
            auto=self.read_auto(node, kind),
            hint=self.text(node, "hint"),
            photo=self.boolean(node, "photo"),
            section=section,
            line=line,
        )
