"""The form loader: shipped forms, every-issue reporting with line numbers, answers and conditions."""

from __future__ import annotations

import ast
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.core import forms
from inspector_app.core.forms import (
    AnswerError,
    Condition,
    FormError,
    FormIssue,
    FormSpec,
    Item,
    check_command,
    check_forms,
    load_form,
    parse_form,
    shipped_forms,
)
from inspector_app.i18n import set_language

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
HEAD = "code: x\nversion: 1\ntitle: t\nsections:\n"


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    """Every test starts in the default language and leaves it there."""
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture(scope="module")
def surprise() -> FormSpec:
    return load_form(FORMS_DIR / "surprise_civil_service.yaml")


@pytest.fixture(scope="module")
def one_stop() -> FormSpec:
    return load_form(FORMS_DIR / "one_stop_centre.yaml")


def mini(body: str, *, roll_call: bool = False) -> FormSpec:
    """A one-section form around some item YAML (indented 6 spaces)."""
    head = f"code: mini\nversion: 1\ntitle: Mini\nroll_call: {str(roll_call).lower()}\n"
    return parse_form(head + "sections:\n  - code: A\n    title: A\n    items:\n" + body)


# --------------------------------------------------------------------------------------------- shipped


def test_shipped_forms_are_found_and_clean() -> None:
    names = [p.name for p in shipped_forms()]
    assert "surprise_civil_service.yaml" in names and "one_stop_centre.yaml" in names
    assert names == sorted(names)
    assert check_forms(shipped_forms()) == []


def test_surprise_form_structure(surprise: FormSpec) -> None:
    assert surprise.code == "kiem-tra-cong-vu-dot-xuat"
    assert surprise.version == 1 and surprise.roll_call is True
    counts = {s.code: len(s.items) for s in surprise.sections}
    assert counts == {"A": 6, "B": 14, "C": 9, "D": 24, "E": 5, "F": 7}
    assert len(surprise.items()) == 65
    autos = {i.code: i.auto for i in surprise.items() if i.auto}
    assert autos == {
        "B1": "roll_call.total",
        "B2": "roll_call.present",
        "B3": "roll_call.late",
        "B4": "roll_call.absent_with_reason",
        "B5": "roll_call.absent_without_reason",
        "C1": "roll_call.no_badge",
        "C3": "roll_call.dress_not_ok",
        "C4": "roll_call.no_name_plate",
    }
    assert all(surprise.item(code).type == "count" for code in autos)
    assert "A1" not in {i.code for i in surprise.items()}  # the visit records the unit
    assert any("26/CT-TTg" in basis for basis in surprise.legal_bases)
    assert surprise.item("B6").condition == Condition("B4", "greater_than", 0)
    assert surprise.item("F4").columns[2].type == "date"


def test_one_stop_form_structure(one_stop: FormSpec) -> None:
    assert one_stop.code == "trung-tam-phuc-vu-hanh-chinh-cong"
    counts = {s.code: len(s.items) for s in one_stop.sections}
    assert counts == {"A": 3, "B": 6, "C": 5, "D": 6, "E": 8, "F": 4, "G": 3}
    assert 25 <= len(one_stop.items()) <= 35
    assert one_stop.item("E5").condition == Condition("E4", "greater_than", 0)
    assert any("118/2025" in basis for basis in one_stop.legal_bases)


@pytest.mark.parametrize("name", ["surprise_civil_service.yaml", "one_stop_centre.yaml"])
def test_shipped_item_codes_unique_and_text_nfc(name: str) -> None:
    spec = load_form(FORMS_DIR / name)
    codes = [i.code for i in spec.items()]
    assert len(codes) == len(set(codes))
    for item in spec.items():
        assert item.section in {s.code for s in spec.sections}
        for text in (item.label, item.finding or "", item.legal_basis or ""):
            assert unicodedata.is_normalized("NFC", text)
        if item.fail_when is None:
            assert item.finding is None


def test_sha256_and_source_are_the_file(tmp_path: Path) -> None:
    path = FORMS_DIR / "surprise_civil_service.yaml"
    spec = load_form(path)
    data = path.read_bytes()
    assert spec.sha256 == hashlib.sha256(data).hexdigest()
    assert spec.source == data.decode("utf-8")
    text = (
        HEAD.replace("version: 1", "version: 2")
        + "  - {code: A, title: T, items: [{code: A1, label: L, type: text}]}\n"
    )
    assert parse_form(text).sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert parse_form(text).version == 2


def test_readme_example_is_a_valid_form(tmp_path: Path) -> None:
    readme = (FORMS_DIR / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "\nsections:" in b)
    spec = parse_form(example)
    assert {i.type for i in spec.items()} == set(forms.ANSWER_TYPES)  # the example shows every answer type
    assert len(spec.items()) == 13


def test_readme_error_samples_are_real_messages() -> None:
    readme = (FORMS_DIR / "README.md").read_text(encoding="utf-8")
    shown = [line for line in readme.splitlines() if line.startswith("forms/phieu_moi.yaml:")]
    assert len(shown) >= 5
    with pytest.raises(FormError) as caught:
        parse_form(BROKEN, filename="forms/phieu_moi.yaml")
    real = [str(i) for i in caught.value.issues]
    tab = "code: x\nversion: 1\ntitle: t\nsections:\n  - code: A\n    title: T\n\titems: []\n"
    with pytest.raises(FormError) as caught:
        parse_form(tab, filename="forms/phieu_moi.yaml")
    real += [str(i) for i in caught.value.issues]
    assert set(shown) <= set(real), set(shown) - set(real)


def test_loader_does_not_import_qt() -> None:
    tree = ast.parse(Path(forms.__file__).read_text(encoding="utf-8"))
    modules = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
    }
    assert not any(m.startswith(("PySide6", "PyQt")) for m in modules)


# --------------------------------------------------------------------------------------------- issues

BROKEN = """\
code: Bad Code
version: "2"
titel: Phiếu lỗi
roll_call: false
sections:
  - code: A
    title: Phần A
    items:
      - code: A1
        label: Câu một
        type: yes_no
        required: yes
        fail_when: [khong]
      - code: a2
        label: Câu hai
        type: yesno
      - code: A3
        label: Câu ba
        type: count
        auto: roll_call.present
        condition: {item: A9, equals: yes}
      - code: A1
        label: Trùng mã
        type: single_choice
        choices: [Tốt, Đạt, Tốt]
        fail_when: [Kém]
      - code: A5
        label: Bảng
        type: table
      - code: A6
        label: Điều kiện sau
        type: text
        condition: {item: A7, equals: 1}
      - code: A7
        label: x
        type: number
        hint_en: x
        auto: roll_call.lat
  - code: A
    title: Trùng phần
    items:
      - code: B1
        label: y
        type: text
        condition: {item: A3, bang: 1}
"""

# (line, Vietnamese fragment, English fragment) — one per expected issue
EXPECTED = [
    (1, "thiếu khóa bắt buộc 'title'", "missing required key 'title'"),
    (1, "mã phiếu 'Bad Code'", "form code 'Bad Code'"),
    (2, "'version' phải là một số nguyên ≥ 1", "'version' must be a whole number ≥ 1"),
    (
        3,
        "khóa 'titel' không hợp lệ — có phải ý bạn là 'title'?",
        "unknown key 'titel' — did you mean 'title'?",
    ),
    (12, "'required' phải là true hoặc false", "'required' must be true or false"),
    (13, "giá trị 'khong' trong fail_when", "fail_when value 'khong' is not an answer"),
    (14, "mã mục 'a2'", "item code 'a2'"),
    (16, "kiểu trả lời 'yesno' không hợp lệ", "unknown answer type 'yesno'"),
    (20, "'auto' cần có 'roll_call: true'", "'auto' needs 'roll_call: true'"),
    (
        21,
        "điều kiện dựa vào mục 'A9' không có trong phiếu",
        "condition refers to item 'A9', which does not exist",
    ),
    (22, "mã mục 'A1' bị trùng (đã dùng ở dòng 9)", "duplicate item code 'A1' (first used on line 9)"),
    (25, "giá trị lựa chọn 'Tốt' bị trùng", "duplicate choice value 'Tốt'"),
    (26, "giá trị 'Kém' trong fail_when", "fail_when value 'Kém' is not an answer"),
    (29, "mục kiểu table cần danh sách cột", "a table item needs a non-empty 'columns' list"),
    (33, "nằm phía sau trong phiếu (dòng 34)", "comes later in the form (line 34)"),
    (37, "khóa 'hint_en' không hợp lệ", "unknown key 'hint_en'"),
    (38, "số liệu điểm danh 'roll_call.lat' không hợp lệ", "unknown roll-call total 'roll_call.lat'"),
    (39, "mã phần 'A' bị trùng (đã dùng ở dòng 6)", "duplicate section code 'A' (first used on line 6)"),
    (45, "phép so sánh 'bang' trong điều kiện không hợp lệ", "unknown condition operator 'bang'"),
]


def _assert_expected(issues: list[FormIssue], path: Path, lang: int) -> None:
    assert len(issues) == len(EXPECTED), "\n".join(map(str, issues))
    lines = [str(i) for i in issues]
    for line, *fragments in EXPECTED:
        prefix = f"{path}:{line}: "
        assert any(s.startswith(prefix) and fragments[lang] in s for s in lines), (
            prefix,
            fragments[lang],
            lines,
        )


def test_broken_file_reports_every_issue_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    issues = check_forms([path])
    _assert_expected(issues, path, 0)
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.issues == issues
    assert str(caught.value).splitlines() == [str(i) for i in issues]


def test_broken_file_reports_every_issue_in_english(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    set_language("en")
    _assert_expected(check_forms([path]), path, 1)


def test_issue_format_and_sorting() -> None:
    issue = FormIssue("a.yaml", 7, "lỗi")
    assert str(issue) == "a.yaml:7: lỗi"
    with pytest.raises(FormError) as caught:
        parse_form(BROKEN, filename="mem.yaml")
    lines = [i.line for i in caught.value.issues]
    assert lines == sorted(lines)
    assert all(i.file == "mem.yaml" for i in caught.value.issues)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("code: x\nversion: 1\n\ttitle: y\n", 3, "ký tự Tab"),
        ("code: x\nversion: 1\ncode: y\n", 3, "khóa 'code' xuất hiện hai lần"),
        ("code: x\ntitle: Giờ: 7h\n", 2, "không được có dấu ':' ở đây"),
        ("code: x\nsections:\n  - code: A\n    items:\n    - code: B\n   label: x\n", 6, "thụt lề sai"),
        ("code: 'abc\ntitle: x\n", 3, "dấu ngoặc kép mở ở dòng 1"),
    ],
)
def test_yaml_syntax_errors(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text(text, encoding="utf-8")
    issues = check_forms([path])
    assert len(issues) == 1
    assert str(issues[0]).startswith(f"{path}:{line}: lỗi cú pháp YAML: ")
    assert fragment in issues[0].message


def test_syntax_error_in_english(tmp_path: Path) -> None:
    set_language("en")
    path = tmp_path / "syntax.yaml"
    path.write_text("code: x\n\tversion: 1\n", encoding="utf-8")
    assert str(check_forms([path])[0]) == (
        f"{path}:2: YAML syntax error: a tab character — indent with spaces, never with tabs"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "tệp rỗng"),
        ("- a\n- b\n", "cấp ngoài cùng của tệp phải là các khóa"),
        ("code: x\nversion: 0\ntitle: t\nsections: []\n", "'sections' phải là một danh sách"),
    ],
)
def test_top_level_problems(text: str, fragment: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(text)
    assert any(fragment in i.message for i in caught.value.issues), caught.value


def test_item_level_problems() -> None:
    body = """\
      - code: A1
        label: L
        type: single_choice
      - code: A2
        label: L
        type: count
        min: 5
        max: 1
        fail_when: {more_than: 0}
        choices: [a]
      - code: A3
        label: L
        type: text
        finding: "{value} và {khac}"
        weight: -1
        photo: "có"
      - code: A4
        label: L
        type: yes_no
        condition: {item: A2, equals: 1, in: [1]}
        index_criterion: 3.10
      - code: A5
        label: L
        type: table
        columns:
          - {code: c1, label: C, type: texte}
          - {code: c1, label: D, type: date}
        condition: {item: A4, greater_than: 0}
"""
    with pytest.raises(FormError) as caught:
        mini(body)
    got = "\n".join(map(str, caught.value.issues))
    for line, fragment in [
        (11, "cần danh sách lựa chọn 'choices'"),
        (16, "'max' (1) nhỏ hơn 'min' (5)"),
        (17, "greater_than: N (lớn hơn N)"),
        (18, "không dùng được 'choices' với kiểu trả lời 'count'"),
        (22, "chỉ được dùng chỗ điền {value}; đang có {khac}"),
        (22, "có 'finding' nhưng thiếu 'fail_when'"),
        (23, "'weight' phải là một số ≥ 0"),
        (24, "'photo' phải là true hoặc false"),
        (28, "mỗi điều kiện chỉ có đúng một phép so sánh"),
        (29, "'index_criterion' phải là chữ, nhưng đang là số 3.1"),
        (34, "kiểu cột 'texte' không hợp lệ"),
        (35, "mã cột 'c1' bị trùng"),
        (36, "'greater_than' chỉ dùng với mục kiểu count hoặc number"),
    ]:
        assert f"<form>:{line}: " in got and fragment in got, (line, fragment, got)
        assert any(i.line == line and fragment in i.message for i in caught.value.issues), (
            line,
            fragment,
            got,
        )


def test_condition_value_must_be_an_answer_and_auto_only_on_counts() -> None:
    body = """\
      - code: A1
        label: L
        type: yes_no
      - code: A2
        label: L
        type: text
        condition: {item: A1, equals: co}
      - code: A3
        label: L
        type: yes_no
        auto: roll_call.total
      - code: A4
        label: L
        type: photo
      - code: A5
        label: L
        type: text
        condition: {item: A4, equals: x}
      - code: A6
        label: L
        type: text
        condition: {item: A6, equals: x}
"""
    with pytest.raises(FormError) as caught:
        mini(body, roll_call=True)
    messages = {(i.line, i.message.split(" (")[0]) for i in caught.value.issues}
    assert (15, "giá trị 'co' trong điều kiện không phải là câu trả lời của mục A1") in messages
    assert any(
        i.line == 19 and "'auto' chỉ dùng cho mục kiểu count" in i.message for i in caught.value.issues
    )
    assert any(i.line == 26 and "kiểu photo" in i.message for i in caught.value.issues)
    assert any(i.line == 30 and "chính mục đó" in i.message for i in caught.value.issues)


def test_flow_mapping_comma_hint() -> None:
    text = HEAD + "  - {code: A, title: Một, hai, items: [{code: A1, label: x, type: text}]}\n"
    with pytest.raises(FormError) as caught:
        parse_form(text)
    (issue,) = caught.value.issues
    assert issue.line == 5 and "dấu phẩy" in issue.message


def test_key_of_another_level_hints_indentation() -> None:
    text = HEAD + "  - code: A\n    title: T\n    label: L\n    items: [{code: A1, label: x, type: text}]\n"
    with pytest.raises(FormError) as caught:
        parse_form(text)
    (issue,) = caught.value.issues
    assert issue.line == 7 and "thụt lề" in issue.message and "một mục kiểm tra" in issue.message


def test_missing_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"code: x\ntitle: Ph\xe9\n")
    issues = check_forms([missing, bad])
    assert [(i.file, i.line) for i in issues] == [(str(missing), 0), (str(bad), 2)]
    assert "không tìm thấy tệp" in issues[0].message and "UTF-8" in issues[1].message


def test_unexpected_exception_becomes_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, doc: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(forms._Reader, "read", boom)
    with pytest.raises(FormError) as caught:
        parse_form("code: x\n", filename="f.yaml")
    assert str(caught.value) == "f.yaml:1: lỗi nội bộ khi đọc phiếu: RuntimeError: boom"


def test_check_folder_duplicate_codes_and_command_output(tmp_path: Path) -> None:
    text = (FORMS_DIR / "one_stop_centre.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    issues = check_forms([tmp_path])
    assert len(issues) == 1 and issues[0].file.endswith("b.yaml")
    assert (
        "đã được dùng ở tệp" in issues[0].message
        and issues[0].line == text.splitlines().index("code: trung-tam-phuc-vu-hanh-chinh-cong") + 1
    )
    out = io.StringIO()
    assert check_command([tmp_path], out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].endswith(
        "a.yaml: ĐẠT — Kiểm tra Trung tâm Phục vụ hành chính công xã, phường "
        "(mã: trung-tam-phuc-vu-hanh-chinh-cong, phiên bản: 1, số phần: 7, số mục: 35)"
    )
    assert lines[-1] == "Tìm thấy 1 lỗi"
    set_language("en")
    out = io.StringIO()
    assert check_command([FORMS_DIR / "one_stop_centre.yaml"], out) == 0
    assert ": OK — " in out.getvalue()


# --------------------------------------------------------------------------------------------- answers

ANSWERS_FORM = """\
      - code: Y
        label: Có biển tên
        type: yes_no
        fail_when: [no]
      - code: N
        label: Có văn bản
        type: yes_no_na
        fail_when: [no]
      - code: S
        label: Thái độ
        type: single_choice
        choices:
          - {value: tot, label: Tốt}
          - {value: chua_dat, label: Chưa đạt}
        fail_when: [chua_dat]
        finding: "Thái độ: {value}."
      - code: M
        label: Kiến nghị
        type: multi_choice
        choices: [nhắc nhở, phê bình, kỷ luật]
        fail_when: [kỷ luật]
      - code: C
        label: Số đi muộn
        type: count
        max: 50
        fail_when: {greater_than: 0}
        finding: Có {value} người đi muộn.
      - code: P
        label: Tỷ lệ trực tuyến
        type: number
        min: 0
        max: 100
        fail_when: {less_than: 50}
      - code: T
        label: Giờ đến
        type: time
      - code: D
        label: Ngày
        type: date
      - code: X
        label: Ghi chú
        type: text
        condition: {item: Y, equals: no}
      - code: F
        label: Ảnh
        type: photo
        condition: {item: C, greater_than: 0}
      - code: R
        label: Khắc phục
        type: table
        condition: {item: M, in: [phê bình, kỷ luật]}
        columns:
          - {code: noi_dung, label: Nội dung, type: text}
          - {code: han, label: Hạn, type: date}
          - {code: so, label: Số, type: count}
      - code: Z
        label: Khác tốt
        type: text
        condition: {item: S, not_equals: tot}
      - code: Z2
        label: Con của X
        type: text
        required: true
        condition: {item: X, equals: có}
"""


@pytest.fixture(scope="module")
def answers_form() -> FormSpec:
    return mini(ANSWERS_FORM)


def test_validate_normalises(answers_form: FormSpec) -> None:
    f = answers_form.item
    assert (
        f("Y").validate(" Yes ") == "yes"
        and f("Y").validate(False) == "no"
        and f("Y").validate("Không") == "no"
    )
    assert f("N").validate("NA") == "na"
    assert f("S").validate("tot") == "tot"
    nfd = unicodedata.normalize("NFD", "kỷ luật")
    assert f("M").validate([nfd, "nhắc nhở", "nhắc nhở"]) == [
        "nhắc nhở",
        "kỷ luật",
    ]  # NFC, choice order, no dups
    assert f("C").validate("3") == 3 and f("C").validate(4.0) == 4 and isinstance(f("C").validate(4.0), int)
    assert f("P").validate("45,5") == 45.5 and f("P").validate(7) == 7
    assert f("T").validate("7h45") == "07:45" and f("T").validate("13:05") == "13:05"
    assert f("D").validate("05/03/2026") == "2026-03-05" and f("D").validate("2026-03-05") == "2026-03-05"
    text = f("X").validate(unicodedata.normalize("NFD", "  Nguyễn Văn Ngật  "))
    assert text == "Nguyễn Văn Ngật" and unicodedata.is_normalized("NFC", text)
    sha = "AB" * 32
    assert f("F").validate([sha, sha.lower()]) == [sha.lower()]
    rows = f("R").validate(
        [{"noi_dung": unicodedata.normalize("NFD", "Đeo thẻ"), "han": "1/7/2026", "so": "2"}]
    )
    assert rows == [{"noi_dung": "Đeo thẻ", "han": "2026-07-01", "so": 2}]
    assert f("R").validate([{}]) == [{"noi_dung": None, "han": None, "so": None}]
    assert f("X").validate(None) is None


@pytest.mark.parametrize(
    ("code", "value", "fragment"),
    [
        ("Y", 5, "Y: chỉ nhận “yes” (có) hoặc “no” (không)"),
        ("Y", "na", "Y: chỉ nhận"),
        ("S", "kém", "S: 'kém' không thuộc các lựa chọn (tot, chua_dat)"),
        ("M", "phê bình", "M: cần một danh sách"),
        ("M", ["xử phạt"], "M: 'xử phạt' không thuộc các lựa chọn"),
        ("C", -1, "C: cần một số nguyên ≥ 0"),
        ("C", 2.5, "C: cần một số nguyên ≥ 0"),
        ("C", True, "C: cần một số nguyên ≥ 0"),
        ("C", 51, "C: 51 lớn hơn giá trị tối đa 50"),
        ("P", "nhiều", "P: cần một số"),
        ("P", -0.5, "P: -0.5 nhỏ hơn giá trị tối thiểu 0"),
        ("T", "25:00", "T: cần giờ dạng HH:MM"),
        ("T", "7:5", "T: cần giờ dạng HH:MM"),
        ("D", "2026-02-30", "D: cần ngày dạng YYYY-MM-DD"),
        ("X", 12, "X: cần nhập chữ"),
        ("F", ["abc"], "F: cần danh sách mã ảnh"),
        ("R", [{"cot_la": 1}], "R [1]: không có cột 'cot_la'"),
        ("R", [{"han": "mai"}], "R [1].han: cần ngày dạng"),
        ("R", "dòng", "R: cần một danh sách các dòng"),
    ],
)
def test_validate_rejects(answers_form: FormSpec, code: str, value: object, fragment: str) -> None:
    with pytest.raises(AnswerError) as caught:
        answers_form.item(code).validate(value)
    assert fragment in str(caught.value)


def test_validate_message_in_english(answers_form: FormSpec) -> None:
    set_language("en")
    with pytest.raises(AnswerError, match=r"^T: expected a time HH:MM \(e\.g\. 07:30\), got '25:00'$"):
        answers_form.item("T").validate("25:00")


def test_fails(answers_form: FormSpec) -> None:
    f = answers_form.item
    assert f("Y").fails("no") and f("Y").fails("Không") and not f("Y").fails("yes")
    assert not f("Y").fails(None) and not f("Y").fails("rubbish")
    assert f("N").fails("no") and not f("N").fails("na")
    assert f("S").fails("chua_dat") and not f("S").fails("tot")
    assert f("M").fails(["nhắc nhở", "kỷ luật"]) and not f("M").fails(["nhắc nhở"])
    assert f("C").fails(1) and f("C").fails("2") and not f("C").fails(0)
    assert f("P").fails(49.9) and not f("P").fails(50)
    assert not f("T").fails("07:30")  # no fail_when


def test_finding_text(answers_form: FormSpec) -> None:
    f = answers_form.item
    assert f("C").finding_text(3) == "Có 3 người đi muộn."
    assert f("S").finding_text("chua_dat") == "Thái độ: Chưa đạt."  # the choice label, not its value
    assert f("Y").finding_text("no") == "Có biển tên: không đạt"
    assert f("P").finding_text(45.5) == "Tỷ lệ trực tuyến: 45,5 (không đạt)"
    set_language("en")
    assert f("Y").finding_text("no") == "Có biển tên: not met"


def test_conditions_and_visibility(answers_form: FormSpec) -> None:
    f = answers_form.item
    assert f("X").condition == Condition("Y", "equals", "no")
    assert f("R").condition == Condition("M", "in", ("phê bình", "kỷ luật"))
    assert not f("X").is_visible({}) and not f("X").is_visible({"Y": None})
    assert f("X").is_visible({"Y": "no"}) and not f("X").is_visible({"Y": "yes"})
    assert (
        f("F").is_visible({"C": 2}) and not f("F").is_visible({"C": 0}) and not f("F").is_visible({"C": "2"})
    )
    assert f("R").is_visible({"M": ["nhắc nhở", "kỷ luật"]}) and not f("R").is_visible({"M": ["nhắc nhở"]})
    assert f("R").is_visible({"M": unicodedata.normalize("NFD", "phê bình")})
    assert f("Z").is_visible({"S": "chua_dat"}) and not f("Z").is_visible({"S": "tot"})
    assert not f("Z").is_visible({})  # not_equals is False while unanswered
    assert f("Y").is_visible({})  # no condition
    assert Condition("C", "less_than", 3).holds({"C": 2}) and not Condition("C", "less_than", 3).holds(
        {"C": 3}
    )
    assert Condition("M", "not_equals", "kỷ luật").holds({"M": ["phê bình"]})
    # Z2 depends on X, which is hidden while Y is not "no": hidden too, even if X still has an old answer
    answers = {"Y": "yes", "X": "có"}
    visible = {i.code for i in answers_form.visible_items(answers)}
    assert "X" not in visible and "Z2" not in visible and "Y" in visible
    assert [i.code for i in answers_form.missing_required({"Y": "no", "X": "có"})] == ["Z2"]


def test_item_lookup_and_lines(answers_form: FormSpec) -> None:
    assert answers_form.item("C").line == 30  # the line of its "code:" in the text given to parse_form
    assert answers_form.item("C").section == "A"
    with pytest.raises(KeyError):
        answers_form.item("NOPE")
    assert [i.code for i in answers_form.items()][:3] == ["Y", "N", "S"]
    item = Item(code="Q", label="Hỏi", type="yes_no", fail_when=("no",))
    assert item.fails("no") and item.weight == 1.0 and item.choices == ()
