"""Who applies (the six columns of table 三), how the request arrived (Art. 31), and masking of personal data.

The applicant's name, phone, ID number and address are personal information (《个人信息保护法》): they stay in
this stack, never enter an event, and are masked in every staff view except the one that shows them in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sunshine_kit.errors import FieldViolation

MAX_NAME = 100
MAX_PHONE = 30
MAX_ID_NUMBER = 30
MAX_ADDRESS = 200
MAX_DESCRIPTION = 4000


class ApplicantType(StrEnum):
    NATURAL_PERSON = "natural_person"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise"
    RESEARCH_INSTITUTION = "research_institution"
    SOCIAL_WELFARE_ORGANISATION = "social_welfare_organisation"
    LEGAL_SERVICE_INSTITUTION = "legal_service_institution"
    OTHER_ORGANISATION = "other_organisation"


APPLICANT_COLUMNS = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.COMMERCIAL_ENTERPRISE: "商业企业",
    ApplicantType.RESEARCH_INSTITUTION: "科研机构",
    ApplicantType.SOCIAL_WELFARE_ORGANISATION: "社会公益组织",
    ApplicantType.LEGAL_SERVICE_INSTITUTION: "法律服务机构",
    ApplicantType.OTHER_ORGANISATION: "其他",
}


class Channel(StrEnum):
    """Art. 31: in person → the day received; post → the day signed for; ordinary mail, online and fax → the
    day the office confirms it with the applicant."""

    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_MAIL = "ordinary_mail"
    ONLINE = "online"
    FAX = "fax"


@dataclass(frozen=True)
class Applicant:
    type: ApplicantType | None
    name: str
    phone: str
    id_number: str
    address: str

    def violations(self) -> list[FieldViolation]:
        checks = [
            (self.type is None, "applicant.type", "choose one of the six applicant columns of table 三"),
            (not self.name.strip(), "applicant.name", "must not be empty"),
            (len(self.name) > MAX_NAME, "applicant.name", f"at most {MAX_NAME} characters"),
            (not (self.phone.strip() or self.address.strip()), "applicant.phone", "give a phone or an address"),
            (len(self.phone) > MAX_PHONE, "applicant.phone", f"at most {MAX_PHONE} characters"),
            (len(self.id_number) > MAX_ID_NUMBER, "applicant.id_number", f"at most {MAX_ID_NUMBER} characters"),
            (len(self.address) > MAX_ADDRESS, "applicant.address", f"at most {MAX_ADDRESS} characters"),
        ]
        return [FieldViolation(name, text) for failed, name, text in checks if failed]

    def masked(self) -> Applicant:
        return Applicant(
            self.type,
            mask_name(self.name),
            mask_middle(self.phone, 3, 4),
            mask_middle(self.id_number, 4, 4),
            mask_address(self.address),
        )


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1)


def mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    """13812345678 → 138****5678; anything too short to keep both ends is masked whole."""
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_address(address: str) -> str:
    """Keeps the first six characters (city and district), masks the rest."""
    return address[:6] + "*" * max(0, len(address) - 6)
