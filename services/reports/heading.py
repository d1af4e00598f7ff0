"""Who a document is from and what it is about: the session (plan, host unit under its
parent, day and time) for the title rows of the exports, and the issuer of a plan's reports
(Hướng dẫn 36-HD/VPTW on the form of party documents):

- the Ban Tổ chức of the plan's issuing committee (the default): header "ĐẢNG ỦY …" over
  "BAN TỔ CHỨC", number "Số …-BC/BTCĐU", signed by its head ("TRƯỞNG BAN": a staff body
  signs in its head's name, without "T/M");
- the committee's Ban Thường vụ: header the committee's parent over the committee, number
  "Số …-BC/ĐU", signed "T/M BAN THƯỜNG VỤ" / "BÍ THƯ".

The name under the signature is the plan's `report_signer`, else (for the Ban Thường vụ)
the committee's secretary when it has exactly one, else a dotted line to fill in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core.i18n import N_, Lang
from services.context import Ctx
from services.errors import InvalidInput
from services.plans import get_plan, require_plan_manager
from services.sessions import get_session
from services.units import get_unit
from storage.models import Membership, Person, Plan, ReportIssuer, Role, SessionKind, Unit

MAX_SIGNER = 120
NAME_LINE = "……………………………"


@dataclass(frozen=True, slots=True)
class SessionHeading:
    session_id: int
    plan_number: str
    plan_title: str
    kind: SessionKind
    host: str
    host_parent: str | None
    starts_at: datetime | None
    venue: str


async def session_heading(ctx: Ctx, session_id: int) -> SessionHeading:
    """What the title rows of a session's exports say (no permission check: the caller has
    made one)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    host = await get_unit(ctx, session.host_unit_id)
    parent = await get_unit(ctx, host.parent_id) if host.parent_id else None
    return SessionHeading(
        session_id=session_id,
        plan_number=plan.number,
        plan_title=plan.title,
        kind=SessionKind(session.kind),
        host=host.name,
        host_parent=parent.name if parent else None,
        starts_at=session.starts_at,
        venue=", ".join(part for part in (session.venue, session.address) if part),
    )


def unit_phrase(lang: Lang, unit: str, parent: str | None) -> str:
    """ "Chi bộ Khoa Toán thuộc Đảng bộ Trường …": a unit named with the unit above it."""
    return lang.t("{unit} of {parent}", unit=unit, parent=parent) if parent else unit


# --------------------------------------------------------------------------- the issuer


@dataclass(frozen=True, slots=True)
class Issuer:
    kind: ReportIssuer
    header_top: str | None  # the unit above, in capitals, regular
    header_body: str  # the issuing body, in capitals, bold
    symbol: str  # "BTCĐU" or "ĐU", after "-BC/"
    body: str  # "Ban Tổ chức Đảng ủy Khối": who sums up, in running text
    authority: str | None  # "T/M BAN THƯỜNG VỤ", or None when the head signs directly
    title: str  # "TRƯỞNG BAN", "BÍ THƯ"
    signer: str  # the name under the signature (a dotted line when unknown)
    recipients: tuple[str, ...]


def _symbol(plan_number: str) -> str:
    """ "82-KH/ĐU" → "ĐU": the committee's abbreviation in document numbers."""
    return plan_number.split("/", 1)[1].strip() if "/" in plan_number else "…"


async def _secretary(ctx: Ctx, unit_id: int) -> str | None:
    found = await ctx.session.exec(
        select(Person.full_name)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(Membership.unit_id == unit_id, Membership.role == Role.SECRETARY.value)
    )
    names = sorted(set(found.all()))
    return names[0] if len(names) == 1 else None


async def report_issuer(ctx: Ctx, plan: Plan, host: str, lang: Lang) -> Issuer:
    """The issuer of the plan's reports, its header, number symbol, signature and
    recipients, in `lang`."""
    committee = await get_unit(ctx, plan.issuer_unit_id)
    parent: Unit | None = await get_unit(ctx, committee.parent_id) if committee.parent_id else None
    kind = ReportIssuer(plan.report_issuer)
    symbol = _symbol(plan.number)
    if kind == ReportIssuer.STANDING_COMMITTEE:
        signer = plan.report_signer or await _secretary(ctx, committee.id) or NAME_LINE  # type: ignore[arg-type]
        recipients = (
            *((lang.t("- {unit} (to report),", unit=parent.name),) if parent else ()),
            lang.t("- {host},", host=host),
            lang.t("- Filed at the office of {committee}.", committee=committee.name),
        )
        return Issuer(
            kind=kind,
            header_top=parent.name.upper() if parent else None,
            header_body=committee.name.upper(),
            symbol=symbol,
            body=lang.t("The standing committee of {committee}", committee=committee.name),
            authority=lang.t("ON BEHALF OF THE STANDING COMMITTEE"),
            title=lang.t("SECRETARY"),
            signer=signer,
            recipients=recipients,
        )
    return Issuer(
        kind=kind,
        header_top=committee.name.upper(),
        header_body=lang.t("ORGANISING BOARD"),
        symbol=lang.t("BTC{symbol}", symbol=symbol) if symbol != "…" else symbol,
        body=lang.t("The organising board of {committee}", committee=committee.name),
        authority=None,
        title=lang.t("HEAD OF THE BOARD"),
        signer=plan.report_signer or NAME_LINE,
        recipients=(
            lang.t(
                "- The standing committee of {committee} (to report),", committee=committee.name
            ),
            lang.t("- {host},", host=host),
            lang.t("- Filed by the Organising Board."),
        ),
    )


async def set_report_issuer(
    ctx: Ctx,
    actor: Person | None,
    plan_id: int,
    issuer: ReportIssuer | str,
    *,
    signer: str | None = None,
) -> Plan:
    """Choose who issues and signs the plan's reports (and, with `signer`, the name printed
    under the signature; "" clears it). Organisers of the issuing unit or above."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    try:
        kind = ReportIssuer(issuer)
    except ValueError:
        raise InvalidInput(
            N_("Reports are issued by the organising board or by the standing committee.")
        ) from None
    if signer is not None:
        name = " ".join(signer.split())
        if len(name) > MAX_SIGNER:
            raise InvalidInput(
                N_("The signer's name can have at most {n} characters."), n=MAX_SIGNER
            )
        plan.report_signer = name
    plan.report_issuer = kind
    ctx.session.add(plan)
    await ctx.session.flush()
    return plan
