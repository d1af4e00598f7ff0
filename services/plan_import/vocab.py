"""Vietnamese words and phrases the extractors look for, in one place.

All patterns run on NFC text (see `blocks.normalize_text`). "ủy" is also written "uỷ"
(old tone placement), so both spellings are accepted wherever it matters.
"""

from __future__ import annotations

import re

UY = "(?:ủy|uỷ)"

# Kinds of Party/State documents a plan is based on ("Căn cứ Chỉ thị số ...").
DOCUMENT_TYPES = (
    "Điều lệ",
    "Hiến pháp",
    "Luật",
    "Nghị quyết",
    "Nghị định",
    "Chỉ thị",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Hướng dẫn",
    "Kế hoạch",
    "Quyết định",
    "Công văn",
    "Văn bản",
    "Thông báo",
    "Thông tri",
    "Thông tư",
    "Chương trình",
    "Đề án",
)
DOCUMENT_TYPE = re.compile(
    r"^(?:" + "|".join(re.escape(name) for name in DOCUMENT_TYPES) + r")\b", re.IGNORECASE
)
# "10-CT/TW", "12-HD/BTCTW", "02-HD/TU", "123/KH-UBND"
DOCUMENT_NUMBER = re.compile(
    r"\b\d{1,4}\s*[-/]\s*[A-ZĐ][A-Za-zĐđ]{0,7}(?:\s*[-/]\s*[A-ZĐ0-9][A-Za-zĐđ0-9]{0,9})+"
)

# Verbs that open a legal-basis clause.
BASIS_LEAD = re.compile(
    r"^(?:căn cứ(?: vào)?|tiếp tục thực hiện|triển khai thực hiện|thực hiện(?: theo)?"
    r"|(?:nhằm|để) (?:cụ thể hóa|triển khai|thực hiện|tổ chức thực hiện)(?: tốt)?"
    r"|triển khai|trên cơ sở|theo)\s*:?\s*",
    re.IGNORECASE,
)

# "..., Đảng ủy Sở X xây dựng kế hoạch ... như sau:" — the issuer speaking in the preamble.
ISSUER_CLAUSE = re.compile(
    r"((?:Ban Thường vụ|Ban Chấp hành|Ban Tổ chức)?\s*"
    rf"(?:Đảng {UY}|Chi {UY}|Huyện {UY}|Quận {UY}|Thị {UY}|Thành {UY}|Tỉnh {UY}|Chi bộ|Đảng bộ)"
    r"[^,;:.()]{0,120}?)\s+(?:xây dựng|ban hành|triển khai)\s+(?:kế hoạch|Kế hoạch)"
)

# Words after which a date is a deadline, not an event: "trước ngày", "chậm nhất là ngày".
DEADLINE_BEFORE = re.compile(
    r"(?:trước|chậm nhất|muộn nhất|hạn chót|hạn cuối|thời hạn|không muộn hơn|hạn)"
    r"(?:\s+(?:là|vào|lúc|hết|đến))*\s*[:,]?\s*"
    r"(?:\d{1,2}\s*(?:giờ|h)\s*\d{0,2}\s*(?:phút)?\s*,?\s*)?(?:ngày\s*)?$",
    re.IGNORECASE,
)
# A date that belongs to a document reference: "Chỉ thị số 10-CT/TW ngày 30 tháng 3 năm 2007".
REFERENCE_BEFORE = re.compile(
    r"(?:\d{1,4}\s*[-/]\s*[A-ZĐ][A-Za-zĐđ]{0,7}(?:\s*[-/]\s*[A-ZĐ0-9][A-Za-zĐđ0-9]{0,9})+"
    r"|ban hành)"
    r"\s*,?\s*(?:ngày\s*)?$"
)

KIND_HOI_THAO = re.compile(r"\bhội thảo\b", re.IGNORECASE)
KIND_CHUYEN_DE = re.compile(
    r"sinh hoạt\W{0,3}(?:chi bộ\W{0,3})?(?:mẫu\W{0,3})?(?:theo\s+)?chuyên đề", re.IGNORECASE
)
KIND_THUONG_KY = re.compile(
    r"sinh hoạt\W{0,3}(?:chi bộ\W{0,3})?(?:mẫu\W{0,3})?thường (?:kỳ|kì)", re.IGNORECASE
)
KIND_GENERIC = re.compile(r"sinh hoạt\W{0,3}(?:chi bộ\W{0,3})?mẫu", re.IGNORECASE)

# Instructions to many units ("Mỗi đảng ủy cơ sở chọn 2 chi bộ") rather than one session.
CASCADE = re.compile(
    rf"\b(?:mỗi|các|từng|100%)\s+(?:đảng {UY}|đảng bộ|chi bộ|cấp {UY}|đơn vị)"
    r"|\bchọn\s+(?:\d+|một|hai|ba|bốn|năm)\s+chi bộ|\bít nhất\b",
    re.IGNORECASE,
)

# "Thành phần tham dự:", "Thành phần mời dự sinh hoạt: A; B", "THÀNH PHẦN DỰ BUỔI SINH HOẠT CẤP
# HUYỆN" (a heading): the label, then up to seven words, then a colon or the end of the line.
PARTICIPANTS_LABEL = re.compile(
    r"^(?:thành phần|đại biểu|khách mời)(?:\s+[^\s:;,.]+){0,7}?\s*(?::|gồm:?|$)\s*",
    re.IGNORECASE,
)
# "Thành phần: như buổi sinh hoạt thường kỳ nêu trên" points back; it is not a group.
PARTICIPANTS_BACK_REFERENCE = re.compile(
    r"^(?:như|theo|giống)\s+(?:buổi|thành phần|mục|phần|trên|đã nêu|hội nghị)|\bnêu trên\b",
    re.IGNORECASE,
)

END_OF_BODY = re.compile(r"^(?:nơi nhận|t/m\b|tm\.|tm\s|k/t\b|kt\.)", re.IGNORECASE)


def clause_end(text: str, start: int, limit: int = 300) -> int:
    """Index where the clause starting at `start` ends (before `;`, a sentence stop or the end)."""
    stop = min(len(text), start + limit)
    index = start
    while index < stop:
        char = text[index]
        if char in ";\n":
            return index
        if char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
            following = text[index + 2 : index + 3]
            if not following or following.isupper() or following.isdigit():
                return index
        index += 1
    return stop


# Words that open the name of a village-level unit; real plans write them in lower case
# ("Chi bộ thôn Lũng Sơn", "Chi bộ ấp Mới 1"), so a name may start with one of them.
SETTLEMENT = re.compile(
    r"^(?:thôn|xóm|bản|ấp|buôn|làng|khóm|sóc|tổ dân phố|khu phố|khu dân cư|khu vực|tổ|khu|khối)"
    r"\s+(?=[A-ZĐÀ-Ỹ0-9])"
)
