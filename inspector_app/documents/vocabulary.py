"""Vietnamese words of the documents. Documents are Vietnamese legal texts whatever the UI language,
so these are constants, not gettext strings."""

from __future__ import annotations

from inspector_app.core.models import (
    AttendanceStatus,
    Attitude,
    Badge,
    Dress,
    NamePlate,
    SignatureRole,
    TeamRole,
)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

ATTENDANCE: dict[str, str] = {
    AttendanceStatus.PRESENT: "Có mặt",
    AttendanceStatus.LATE: "Đi muộn",
    AttendanceStatus.ABSENT_WITH_REASON: "Vắng có lý do",
    AttendanceStatus.ABSENT_WITHOUT_REASON: "Vắng không lý do",
    AttendanceStatus.ON_DUTY: "Đi công tác (có văn bản)",
    AttendanceStatus.LEAVE: "Nghỉ phép, nghỉ ốm",
    AttendanceStatus.UNKNOWN: "Không rõ lý do",
}
BADGE: dict[str, str] = {
    Badge.WORN: "Có",
    Badge.NOT_WORN: "Không đeo",
    Badge.NOT_ISSUED: "Chưa được cấp",
    Badge.NA: "Không áp dụng",
}
DRESS: dict[str, str] = {Dress.OK: "Đạt", Dress.NOT_OK: "Chưa đạt"}
NAME_PLATE: dict[str, str] = {NamePlate.YES: "Có", NamePlate.NO: "Không", NamePlate.NA: "Không áp dụng"}
ATTITUDE: dict[str, str] = {
    Attitude.GOOD: "Tốt",
    Attitude.OK: "Đạt",
    Attitude.NOT_OK: "Chưa đạt",
    Attitude.NA: "Không áp dụng",
}
YES_NO: dict[str, str] = {"yes": "Có", "no": "Không", "na": "Không áp dụng"}

TEAM_ROLE: dict[str, str] = {
    TeamRole.LEADER: "Trưởng đoàn",
    TeamRole.DEPUTY: "Phó Trưởng đoàn",
    TeamRole.MEMBER: "Thành viên",
    TeamRole.SECRETARY: "Thư ký",
}
TEAM_ROLE_ORDER = (TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.SECRETARY)

SIGNATURE_TITLE: dict[str, str] = {
    SignatureRole.UNIT_REPRESENTATIVE: "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA",
    SignatureRole.SECRETARY: "THƯ KÝ",
    SignatureRole.LEADER: "TRƯỞNG ĐOÀN",
}
SIGN_HINT = "(Ký, ghi rõ họ tên)"
REFUSED = "(Từ chối ký: {note})"

FAILED = "Chưa đạt"
PASSED = "Đạt"
NOT_RECORDED = "—"
DRAFT_MARK = "DỰ THẢO"
