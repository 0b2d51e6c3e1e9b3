"""A deterministic demo province after the 1 July 2025 two-tier reform: Hà Tĩnh (DOMAIN §5).

Pure Python, no database: :func:`demo_reference` returns plain row dicts per table, parents first,
for a loader to bulk-insert. Ids are ``stable_id("demo", table, natural key)`` so two laptops and the
office server that load the demo meet on the same rows. Names of people are invented; unit names
follow the post-2025 pattern ("UBND xã Thạch Khê", "Sở Tư pháp tỉnh Hà Tĩnh").
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from inspector_app.core.ids import stable_id
from inspector_app.core.models.reference import OfficialKind, TeamRole, UnitType
from inspector_app.core.text import fold, nfc

Row = dict[str, Any]

DEMO_TEAM_CODE = "demo"
DEMO_PROVINCE_CODE = "HT"
PROVINCE_NAME = "Hà Tĩnh"
_ISSUER = "UBND tỉnh Hà Tĩnh"
_SEED = 20260101  # fixed: the same demo on every machine
_AGE_ON = dt.date(2026, 1, 1)  # ages 24–58 are counted at this day
REFORM_DAY = dt.date(2025, 7, 1)
_LAST_OLD_DAY = dt.date(2025, 6, 30)
_SO_REFORM_DAY = dt.date(2025, 3, 1)  # provincial departments were merged from 1 March 2025

TABLES = (
    "unit",
    "official",
    "inspector",
    "team",
    "team_decision",
    "team_member",
    "plan",
    "planned_visit",
    "work_schedule",
)
PLAN_NUMBER = "45/KH-UBND"
# The units the plan lists for the team (surprise visits: the plan names the units, not the days).
PLANNED_UNITS = (
    "HT-PHUONG-THANH-SEN",
    "HT-XA-THACH-KHE",
    "HT-SO-TP",
    "HT-XA-CAM-XUYEN-TTPVHCC",
    "HT-PHUONG-TRAN-PHU",
    "HT-XA-DUC-THO",
)

# Post-2025 wards and communes (a selection of Hà Tĩnh's 69: 9 phường, 60 xã).
_PHUONG = (
    "Thành Sen, Trần Phú, Hà Huy Tập, Bắc Hồng Lĩnh, Nam Hồng Lĩnh, Sông Trí, Hải Ninh, Hoành Sơn, Vũng Áng"
)
_XA = (
    "Thạch Khê, Thạch Hà, Thạch Lạc, Đồng Tiến, Cẩm Xuyên, Thiên Cầm, Cẩm Bình, Đức Thọ, Can Lộc, "
    "Đồng Lộc, Nghi Xuân, Tiên Điền, Hương Sơn, Vũ Quang, Hương Khê, Kỳ Anh, Lộc Hà"
)
# Communes whose Trung tâm Phục vụ hành chính công is registered as a unit of its own.
_WITH_TT = ("Thành Sen", "Trần Phú", "Bắc Hồng Lĩnh", "Thạch Khê", "Cẩm Xuyên", "Can Lộc")
# Units that ended on 30/6/2025: (unit_type, proper name, parent code or None, successor code or None).
_OLD_UNITS = (
    (UnitType.HUYEN, "Thạch Hà", None, None),  # split between several new xã: no single successor
    (UnitType.THI_TRAN, "Thạch Hà", "HT-HUYEN-THACH-HA", "HT-XA-THACH-HA"),
    (UnitType.XA, "Thạch Hải", "HT-HUYEN-THACH-HA", "HT-XA-THACH-KHE"),
)
_TYPE_WORD = {
    UnitType.XA: "xã",
    UnitType.PHUONG: "phường",
    UnitType.THI_TRAN: "thị trấn",
    UnitType.HUYEN: "huyện",
}
# Departments after the March 2025 merger: (short code, name, three of its phòng).
_SO = (
    ("NV", "Nội vụ", "Tổ chức - Biên chế; Công chức, viên chức; Cải cách hành chính"),
    ("TP", "Tư pháp", "Xây dựng và Kiểm tra văn bản; Hành chính tư pháp; Bổ trợ tư pháp"),
    ("TC", "Tài chính", "Quản lý ngân sách; Tài chính đầu tư; Đăng ký kinh doanh"),
    ("XD", "Xây dựng", "Quản lý xây dựng; Quy hoạch - Kiến trúc; Quản lý vận tải"),
    ("YT", "Y tế", "Nghiệp vụ Y; Nghiệp vụ Dược; Bảo trợ xã hội"),
    ("GDDT", "Giáo dục và Đào tạo", "Giáo dục phổ thông; Giáo dục mầm non; Tổ chức cán bộ"),
    ("NNMT", "Nông nghiệp và Môi trường", "Trồng trọt và Bảo vệ thực vật; Quản lý đất đai; Môi trường"),
    ("KHCN", "Khoa học và Công nghệ", "Quản lý khoa học; Chuyển đổi số; Bưu chính, Viễn thông"),
    ("VHTTDL", "Văn hóa, Thể thao và Du lịch", "Quản lý văn hóa; Quản lý thể thao; Quản lý du lịch"),
    ("CT", "Công Thương", "Quản lý công nghiệp; Quản lý thương mại; Quản lý năng lượng"),
)

CB, CC, VC = OfficialKind.CAN_BO, OfficialKind.CONG_CHUC, OfficialKind.VIEN_CHUC
NLD, KCT = OfficialKind.NGUOI_LAO_DONG, OfficialKind.KHONG_CHUYEN_TRACH
_VP, _VH, _QS = "Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội", "Ban Chỉ huy Quân sự"
_TT = "Trung tâm Phục vụ hành chính công"
# A commune roster in the order it is read out (leaders first, then department by department):
# (position, department, kind, min count, max count, leader?). "{kt}" is the economic office:
# "Phòng Kinh tế" in a xã, "Phòng Kinh tế, Hạ tầng và Đô thị" in a phường.
_COMMUNE_ROSTER: tuple[tuple[str, str, OfficialKind, int, int, bool], ...] = (
    ("Bí thư Đảng ủy", "Thường trực Đảng ủy", CB, 1, 1, True),
    ("Chủ tịch HĐND", "Thường trực HĐND", CB, 1, 1, True),
    ("Chủ tịch UBND", "Lãnh đạo UBND", CB, 1, 1, True),
    ("Phó Chủ tịch HĐND", "Thường trực HĐND", CB, 1, 1, True),
    ("Phó Chủ tịch UBND", "Lãnh đạo UBND", CB, 2, 2, True),
    ("Chủ tịch Ủy ban MTTQ Việt Nam", "Ủy ban MTTQ Việt Nam", CB, 1, 1, True),
    ("Chánh Văn phòng HĐND và UBND", _VP, CC, 1, 1, True),
    ("Phó Chánh Văn phòng HĐND và UBND", _VP, CC, 0, 1, True),
    ("Công chức Văn phòng - Thống kê", _VP, CC, 1, 2, False),
    ("Công chức Tư pháp - Hộ tịch", _VP, CC, 1, 2, False),
    ("Chuyên viên", _VP, CC, 0, 1, False),
    ("Trưởng {kt}", "{kt}", CC, 1, 1, True),
    ("Phó Trưởng {kt}", "{kt}", CC, 1, 2, True),
    ("Công chức Tài chính - Kế toán", "{kt}", CC, 1, 2, False),
    ("Công chức Địa chính - Xây dựng", "{kt}", CC, 1, 2, False),
    ("Công chức {nm}", "{kt}", CC, 0, 1, False),
    ("Chuyên viên", "{kt}", CC, 0, 1, False),
    ("Trưởng phòng Văn hóa - Xã hội", _VH, CC, 1, 1, True),
    ("Phó Trưởng phòng Văn hóa - Xã hội", _VH, CC, 0, 1, True),
    ("Công chức Văn hóa - Xã hội", _VH, CC, 1, 2, False),
    ("Chuyên viên", _VH, CC, 0, 1, False),
    ("Chỉ huy trưởng Ban Chỉ huy Quân sự", _QS, CC, 1, 1, True),
    ("Phụ trách Văn thư - Lưu trữ", _VP, KCT, 0, 1, False),
    ("Thủ quỹ", _VP, KCT, 0, 1, False),
    ("Phụ trách Đài truyền thanh", _VH, KCT, 0, 1, False),
    ("Lái xe", _VP, NLD, 0, 1, False),
    ("Bảo vệ", _VP, NLD, 1, 1, False),
)
# The one-stop centre: its own unit where registered (_WITH_TT), else a department of the commune.
_TT_ROSTER: tuple[tuple[str, str, OfficialKind, int, int, bool], ...] = (
    ("Phó Giám đốc Trung tâm Phục vụ hành chính công", _TT, VC, 1, 1, True),
    ("Viên chức tiếp nhận và trả kết quả", _TT, VC, 2, 3, False),
    ("Nhân viên hỗ trợ", _TT, NLD, 0, 1, False),
)

# Names: family names with rough weights (Nguyễn first; Phan, Võ, Hồ are common in Hà Tĩnh).
_FAMILY = (
    "Nguyễn 30, Trần 9, Lê 10, Phạm 5, Hoàng 4, Phan 7, Võ 6, Đặng 4, Bùi 3, Đỗ 2, Hồ 4, Ngô 2, Dương 2, "
    "Đinh 2, Thái 2, Trương 2, Hà 1, Lưu 1"
)
_MIDDLE = {
    "nam": "Văn 30, Hữu 8, Đức 8, Minh 6, Quang 5, Xuân 5, Đình 6, Công 4, Anh 2, Thanh 3, Trọng 4, Quốc 4",
    "nu": "Thị 40, Ngọc 5, Thu 5, Thanh 5, Thùy 3, Hồng 3, Kim 3, Phương 2, Mai 2, Hải 2",
}
_GIVEN = {
    "nam": "An Anh Bình Cường Dũng Đạt Hải Hiếu Hoàng Hùng Huy Hưng Khánh Khoa Kiên Lâm Long Lợi Lực Mạnh "
    "Nam Nghĩa Phong Phúc Quân Sơn Tài Thắng Thành Tiến Toàn Trung Tuấn Tùng Việt Vinh",
    "nu": "Anh Châu Dung Giang Hà Hằng Hạnh Hiền Hoa Hồng Hương Huyền Lan Liên Linh Loan Ly Mai Nga Ngân "
    "Nhàn Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang Tuyết Vân Yến",
}
_SECOND_MIDDLE = ("Thu", "Thanh", "Ngọc", "Hồng", "Kim", "Minh", "Phương")  # "Nguyễn Thị Thu Hằng"
# Posts that in practice are (almost) always held by men or by women.
_MALE_SHARE = {"Chỉ huy trưởng Ban Chỉ huy Quân sự": 1.0, "Lái xe": 1.0, "Bảo vệ": 1.0, "Tạp vụ": 0.1}
SEARCH_NAME = "Nguyễn Văn An"  # exactly one official carries it (search tests look for it)


def _weighted(spec: str) -> tuple[list[str], list[int]]:
    pairs = [item.rsplit(" ", 1) for item in spec.split(", ")]
    return [nfc(name) for name, _ in pairs], [int(weight) for _, weight in pairs]


_FAMILY_W = _weighted(_FAMILY)
_MIDDLE_W = {g: _weighted(spec) for g, spec in _MIDDLE.items()}
_GIVEN_L = {g: [nfc(n) for n in spec.split()] for g, spec in _GIVEN.items()}


def _sid(table: str, key: str) -> uuid.UUID:
    return stable_id("demo", table, key)


def _slug(text: str) -> str:
    return fold(text).upper().replace(",", "").replace(" - ", "-").replace(" ", "-")


def _person(rng: random.Random, gender: str, taken: set[str]) -> str:
    """A full name not yet used in the demo (and never SEARCH_NAME, which is placed on purpose)."""
    while True:
        family = rng.choices(*_FAMILY_W)[0]
        middle = rng.choices(*_MIDDLE_W[gender])[0]
        given = rng.choice(_GIVEN_L[gender])
        parts = [family, middle, given]
        if gender == "nu" and middle == "Thị" and rng.random() < 0.2:
            parts.insert(2, rng.choice(_SECOND_MIDDLE))
        if len(set(parts[1:])) < len(parts) - 1:
            continue  # "Thanh Thanh", "Hồng Hồng"
        name = nfc(" ".join(parts))
        if name != SEARCH_NAME and name not in taken:
            taken.add(name)
            return name


def _birth(rng: random.Random, leader: bool) -> dt.date:
    age = rng.randint(38, 58) if leader else rng.randint(24, 55)
    return dt.date(_AGE_ON.year - age - 1, rng.randint(1, 12), rng.randint(2, 28))


def _unit(
    code: str,
    name: str,
    proper: str,
    unit_type: UnitType,
    parent: str | None,
    address: str | None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    successor: str | None = None,
) -> Row:
    return {
        "id": _sid("unit", code),
        "code": code,
        "name": nfc(name),
        "proper_name": nfc(proper),
        "unit_type": unit_type.value,
        "parent_id": _sid("unit", parent) if parent else None,
        "address": nfc(address) if address else None,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "successor_id": _sid("unit", successor) if successor else None,
    }


def _communes() -> list[tuple[UnitType, str]]:
    return [(UnitType.PHUONG, p) for p in _PHUONG.split(", ")] + [(UnitType.XA, x) for x in _XA.split(", ")]


def _commune_code(unit_type: UnitType, proper: str) -> str:
    return f"{DEMO_PROVINCE_CODE}-{_slug(_TYPE_WORD[unit_type])}-{_slug(proper)}"


def _units() -> list[Row]:
    hq, seat = DEMO_PROVINCE_CODE, f"phường Thành Sen, tỉnh {PROVINCE_NAME}"
    rows = [_unit(hq, _ISSUER, PROVINCE_NAME, UnitType.TINH, None, seat)]
    for short, name, _ in _SO:
        so_name = f"Sở {name} tỉnh {PROVINCE_NAME}"
        rows.append(_unit(f"{hq}-SO-{short}", so_name, name, UnitType.SO, hq, seat, _SO_REFORM_DAY))
    communes = [(t, p, _commune_code(t, p), f"{_TYPE_WORD[t]} {p}") for t, p in _communes()]
    for kind, proper, code, place in communes:
        address = f"{place}, tỉnh {PROVINCE_NAME}"
        rows.append(_unit(code, f"UBND {place}", proper, kind, hq, address, REFORM_DAY))
    for _, proper, code, place in communes:
        if proper in _WITH_TT:
            address, tt_code = f"{place}, tỉnh {PROVINCE_NAME}", f"{code}-TTPVHCC"
            rows.append(
                _unit(tt_code, f"{_TT} {place}", proper, UnitType.TT_PVHCC, code, address, REFORM_DAY)
            )
    # Pre-reform units last: their successors and parents must already exist.
    for kind, proper, parent, successor in _OLD_UNITS:
        word = _TYPE_WORD[kind]
        code = f"{hq}-{_slug(word)}-{_slug(proper)}"
        rows.append(
            _unit(
                code,
                f"UBND {word} {proper}",
                proper,
                kind,
                parent or hq,
                None,
                None,
                _LAST_OLD_DAY,
                successor,
            )
        )
    return rows


def demo_unit_codes() -> list[str]:
    """Codes of every demo unit, in insertion order (province first)."""
    return [row["code"] for row in _units()]


RosterLine = tuple[str, str, OfficialKind, int, int, bool]


def _roster(
    rng: random.Random,
    unit_code: str,
    lines: tuple[RosterLine, ...] | list[RosterLine],
    taken: set[str],
    fill: dict[str, str] | None = None,
) -> list[Row]:
    rows: list[Row] = []
    for position, department, kind, low, high, leader in lines:
        for _ in range(rng.randint(low, high)):
            male_share = _MALE_SHARE.get(position, 0.7 if leader else 0.45)
            gender = "nam" if rng.random() < male_share else "nu"
            rows.append(
                {
                    "id": _sid("official", f"{unit_code}/{len(rows) + 1}"),
                    "unit_id": _sid("unit", unit_code),
                    "full_name": _person(rng, gender, taken),
                    "position": nfc(position.format(**(fill or {}))),
                    "department": nfc(department.format(**(fill or {}))),
                    "kind": kind.value,
                    "gender": gender,
                    "birth_date": _birth(rng, leader),
                    "left_on": None,
                    "sort_order": len(rows) + 1,
                }
            )
    return rows


def _so_roster(phong: str) -> list[RosterLine]:
    lines: list[RosterLine] = [
        ("Giám đốc Sở", "Ban Giám đốc", CC, 1, 1, True),
        ("Phó Giám đốc Sở", "Ban Giám đốc", CC, 2, 3, True),
        ("Chánh Văn phòng", "Văn phòng Sở", CC, 1, 1, True),
        ("Phó Chánh Văn phòng", "Văn phòng Sở", CC, 0, 1, True),
        ("Chuyên viên", "Văn phòng Sở", CC, 1, 2, False),
        ("Kế toán", "Văn phòng Sở", CC, 1, 1, False),
        ("Văn thư", "Văn phòng Sở", CC, 1, 1, False),
    ]
    for name in phong.split("; "):
        lines += [
            (f"Trưởng phòng {name}", f"Phòng {name}", CC, 1, 1, True),
            (f"Phó Trưởng phòng {name}", f"Phòng {name}", CC, 1, 2, True),
            ("Chuyên viên", f"Phòng {name}", CC, 1, 4, False),
        ]
    lines += [
        ("Lái xe", "Văn phòng Sở", NLD, 1, 2, False),
        ("Bảo vệ", "Văn phòng Sở", NLD, 1, 1, False),
        ("Tạp vụ", "Văn phòng Sở", NLD, 0, 1, False),
    ]
    return lines


def _officials(rng: random.Random) -> list[Row]:
    taken: set[str] = set()
    rows: list[Row] = []
    for short, _, phong in _SO:
        rows += _roster(rng, f"{DEMO_PROVINCE_CODE}-SO-{short}", _so_roster(phong), taken)
    for unit_type, proper in _communes():
        code = _commune_code(unit_type, proper)
        ward = unit_type is UnitType.PHUONG
        fill = {
            "kt": "phòng Kinh tế, Hạ tầng và Đô thị" if ward else "phòng Kinh tế",
            "nm": "Đô thị - Môi trường" if ward else "Nông nghiệp - Môi trường",
        }
        own_tt = proper in _WITH_TT
        lines = _COMMUNE_ROSTER if own_tt else _COMMUNE_ROSTER[:-5] + _TT_ROSTER + _COMMUNE_ROSTER[-5:]
        staff = _roster(rng, code, lines, taken, fill)
        for row in staff:  # the department column reads "Phòng Kinh tế", the position "Trưởng phòng …"
            row["department"] = row["department"][:1].upper() + row["department"][1:]
        rows += staff
        if own_tt:
            rows += _roster(rng, f"{code}-TTPVHCC", _TT_ROSTER, taken)
    # The search tests' official: the Chánh Văn phòng of phường Thành Sen.
    head = next(r for r in rows if r["position"] == "Chánh Văn phòng HĐND và UBND")
    head.update(full_name=SEARCH_NAME, gender="nam")
    return rows


# (natural key, full name, position, agency, role in the team)
_INSPECTORS = (
    ("snv-pgd", "Lê Văn Thắng", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ", TeamRole.LEADER),
    ("ttt-pct", "Hoàng Minh Tuấn", "Phó Chánh Thanh tra tỉnh", "Thanh tra tỉnh", TeamRole.DEPUTY),
    (
        "vp-pcvp",
        "Nguyễn Thị Lan Anh",
        "Phó Chánh Văn phòng UBND tỉnh",
        "Văn phòng UBND tỉnh",
        TeamRole.MEMBER,
    ),
    (
        "snv-cchc",
        "Phạm Thị Thu Hằng",
        "Trưởng phòng Cải cách hành chính, Sở Nội vụ",
        "Sở Nội vụ",
        TeamRole.MEMBER,
    ),
    (
        "snv-ccvc",
        "Đặng Quốc Việt",
        "Phó Trưởng phòng Công chức, viên chức, Sở Nội vụ",
        "Sở Nội vụ",
        TeamRole.MEMBER,
    ),
    (
        "snv-cv",
        "Bùi Thị Hương",
        "Chuyên viên Phòng Cải cách hành chính, Sở Nội vụ",
        "Sở Nội vụ",
        TeamRole.SECRETARY,
    ),
)
_DECISION_NO, _DECISION_ON = "125/QĐ-UBND", dt.date(2026, 1, 12)
_TEAM_NAME = f"Đoàn kiểm tra công vụ tỉnh {PROVINCE_NAME} năm 2026"
_LEGAL_BASES = (
    "Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025",
    "Nghị định số 170/2025/NĐ-CP ngày 30/6/2025 của Chính phủ quy định về tuyển dụng, sử dụng và quản lý "
    "công chức",
    "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế "
    "một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
    "Quyết định số 129/2007/QĐ-TTg ngày 02/8/2007 của Thủ tướng Chính phủ ban hành Quy chế văn hóa công sở "
    "tại các cơ quan hành chính nhà nước",
    "Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ về tăng cường kỷ luật, kỷ cương trong các "
    "cơ quan hành chính nhà nước các cấp",
    f"Quyết định số {_DECISION_NO} ngày {_DECISION_ON:%d/%m/%Y} của UBND tỉnh {PROVINCE_NAME} về việc "
    f"thành lập {_TEAM_NAME}",
)


def _team_rows() -> dict[str, list[Row]]:
    team_id = _sid("team", DEMO_TEAM_CODE)
    inspectors = [
        {
            "id": _sid("inspector", key),
            "full_name": nfc(name),
            "position": nfc(position),
            "agency": nfc(f"{agency} tỉnh {PROVINCE_NAME}"),
            "phone": None,
            "email": None,
        }
        for key, name, position, agency, _ in _INSPECTORS
    ]
    team = {
        "id": team_id,
        "code": DEMO_TEAM_CODE,
        "name": nfc(_TEAM_NAME),
        "issuer": nfc(_ISSUER),
        "short_issuer": nfc("ĐKTCV"),
        "province_id": _sid("unit", DEMO_PROVINCE_CODE),
    }
    decision = {
        "id": _sid("team_decision", _DECISION_NO),
        "team_id": team_id,
        "number": nfc(_DECISION_NO),
        "signed_on": _DECISION_ON,
        "signer": nfc("Phan Quốc Hưng"),  # invented Chủ tịch UBND tỉnh
        "title": nfc(f"Về việc thành lập {_TEAM_NAME}"),
        "valid_to": dt.date(2026, 12, 31),
    }
    members = [
        {
            "id": _sid("team_member", f"{DEMO_TEAM_CODE}/{key}"),
            "team_id": team_id,
            "inspector_id": _sid("inspector", key),
            "role": role.value,
        }
        for key, _, _, _, role in _INSPECTORS
    ]
    plan_no = PLAN_NUMBER
    plan = {
        "id": _sid("plan", plan_no),
        "number": nfc(plan_no),
        "title": nfc(f"Kiểm tra công vụ, công chức năm 2026 trên địa bàn tỉnh {PROVINCE_NAME}"),
        "issuer": nfc(_ISSUER),
        "issued_on": dt.date(2026, 1, 20),
        "period_from": dt.date(2026, 1, 1),
        "period_to": dt.date(2026, 12, 31),
        "legal_bases": "\n".join(nfc(line) for line in _LEGAL_BASES),
        "team_id": team_id,
        "default_form_code": "kiem-tra-cong-vu-dot-xuat",
    }
    return {
        "inspector": inspectors,
        "team": [team],
        "team_decision": [decision],
        "team_member": members,
        "plan": [plan],
        "planned_visit": [
            {
                "id": planned_visit_id(code),
                "plan_id": plan["id"],
                "unit_id": _sid("unit", code),
                "team_id": team_id,
                "planned_on": None,
                "mode": "dot_xuat",
                "form_code": None,
                "note": "",
                "sort_order": n,
            }
            for n, code in enumerate(PLANNED_UNITS, 1)
        ],
    }


def planned_visit_id(unit_code: str) -> uuid.UUID:
    return _sid("planned_visit", f"{PLAN_NUMBER}/{unit_code}")


def _schedules() -> list[Row]:
    """Summer 15/4–14/10 07:00–11:30 / 13:30–17:00, winter 15/10–14/4 07:30–12:00 / 13:30–17:00.

    The split and hours follow the usual practice of the north-central provinces (Nghệ An publishes the
    same winter hours, DOMAIN §0 item 3); a real deployment loads the province's own decision. Seasons
    run back to back from winter 2024–2025 to winter 2027–2028 so every day of 2025–2027 has exactly one
    schedule; no grace minutes (lateness counts from the first minute)."""
    t = dt.time
    summer, winter = (t(7, 0), t(11, 30), t(13, 30), t(17, 0)), (t(7, 30), t(12, 0), t(13, 30), t(17, 0))
    periods: list[tuple[str, str, dt.date, dt.date, tuple[dt.time, ...]]] = [
        ("winter", "mùa đông năm 2024 - 2025", dt.date(2024, 10, 15), dt.date(2025, 4, 14), winter)
    ]
    for year in (2025, 2026, 2027):
        periods.append(("summer", f"mùa hè năm {year}", dt.date(year, 4, 15), dt.date(year, 10, 14), summer))
        periods.append(
            (
                "winter",
                f"mùa đông năm {year} - {year + 1}",
                dt.date(year, 10, 15),
                dt.date(year + 1, 4, 14),
                winter,
            )
        )
    return [
        {
            "id": _sid("work_schedule", f"{DEMO_PROVINCE_CODE}/{season}/{start:%Y}"),
            "province_id": _sid("unit", DEMO_PROVINCE_CODE),
            "name": nfc(f"Giờ làm việc {label}"),
            "season": season,
            "valid_from": start,
            "valid_to": end,
            "morning_start": hours[0],
            "morning_end": hours[1],
            "afternoon_start": hours[2],
            "afternoon_end": hours[3],
            "grace_minutes": 0,
        }
        for season, label, start, end, hours in periods
    ]


def demo_reference() -> dict[str, list[Row]]:
    """Every reference row of the demo, keyed by table name in insertion order (parents first)."""
    rng = random.Random(_SEED)
    team = _team_rows()
    return {
        "unit": _units(),
        "official": _officials(rng),
        "inspector": team["inspector"],
        "team": team["team"],
        "team_decision": team["team_decision"],
        "team_member": team["team_member"],
        "plan": team["plan"],
        "planned_visit": team["planned_visit"],
        "work_schedule": _schedules(),
    }
