"""The studio's tables: company, users, resources, clients, groups, appointments, Google options."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The choices live apart so the command line can offer them without the database layer.
from studiosync.choices import AppointmentStatus as AppointmentStatus
from studiosync.choices import AssignmentRole as AssignmentRole
from studiosync.choices import ChangeKind as ChangeKind
from studiosync.choices import Origin as Origin
from studiosync.choices import ResourceKind as ResourceKind
from studiosync.choices import Role as Role
from studiosync.choices import SmtpSecurity as SmtpSecurity

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_studio_tag() -> str:
    """A short random name for this installation, written into the Google events it makes."""
    return secrets.token_hex(4)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A datetime kept as naive UTC in every database and handed back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; give a timezone-aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Company(Base):
    """The studio itself (one row) with the Email tab of Company Preferences."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int | None] = mapped_column(Integer)
    smtp_security: Mapped[SmtpSecurity] = mapped_column(
        enum_column(SmtpSecurity, "smtp_security"), default=SmtpSecurity.STARTTLS
    )
    smtp_username: Mapped[str | None] = mapped_column(String(255))
    smtp_password_encrypted: Mapped[str | None] = mapped_column(Text)
    email_from: Mapped[str | None] = mapped_column(String(255))
    studio_tag: Mapped[str] = mapped_column(String(16), default=new_studio_tag)
    conflict_policy: Mapped[str] = mapped_column(String(20), default="studio_wins")
    """Superseded by the per-field owners below (migration 0009); kept, no longer read."""
    summary_template: Mapped[str] = mapped_column(String(200), default="{title}")
    google_title: Mapped[str] = mapped_column(String(10), default="studio")
    google_time: Mapped[str] = mapped_column(String(10), default="google")
    google_location: Mapped[str] = mapped_column(String(10), default="google")
    google_notes: Mapped[str] = mapped_column(String(10), default="google")
    google_status: Mapped[str] = mapped_column(String(10), default="google")


class User(Base):
    """Anyone who can be photographer, assistant, or have an appointment assigned."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.STAFF)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    google: Mapped[GoogleSettings | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )


class Resource(Base):
    """A location, room or piece of equipment; resources never sync with Google."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind, "resource_kind"))
    name: Mapped[str] = mapped_column(String(200), unique=True)


client_group_members = Table(
    "client_group_members",
    Base.metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("client_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Client(Base):
    """A studio client; emails are kept one per row so contacts can be matched by address."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    email_rows: Mapped[list[ClientEmail]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientEmail.position"
    )
    groups: Mapped[list[ClientGroup]] = relationship(
        secondary=client_group_members, back_populates="clients"
    )

    @property
    def emails(self) -> list[str]:
        return [row.email for row in self.email_rows]


class ClientEmail(Base):
    __tablename__ = "client_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    email: Mapped[str] = mapped_column(String(255))
    email_normalized: Mapped[str] = mapped_column(String(255), index=True)

    client: Mapped[Client] = relationship(back_populates="email_rows")


class ClientGroup(Base):
    __tablename__ = "client_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    clients: Mapped[list[Client]] = relationship(
        secondary=client_group_members, back_populates="groups"
    )


class Appointment(Base):
    """A booking. Timed ones use start_at/end_at; all-day ones also keep dates (end exclusive)."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(100), default="Session")
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    end_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_column(AppointmentStatus, "appointment_status"), default=AppointmentStatus.CONFIRMED
    )
    location: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, "origin"), default=Origin.STUDIO)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    client: Mapped[Client | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    resources: Mapped[list[Resource]] = relationship(secondary="appointment_resources")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def user_ids(self) -> set[int]:
        return {assignment.user_id for assignment in self.assignments}


class Assignment(Base):
    """A user assigned to an appointment, with the part they play."""

    __tablename__ = "appointment_users"
    __table_args__ = (UniqueConstraint("appointment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(
        enum_column(AssignmentRole, "assignment_role"), default=AssignmentRole.OTHER
    )

    appointment: Mapped[Appointment] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()


appointment_resources = Table(
    "appointment_resources",
    Base.metadata,
    Column("appointment_id", ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_id", ForeignKey("resources.id", ondelete="RESTRICT"), primary_key=True),
)


class GoogleSettings(Base):
    """One user's Google tab: every option of User Preferences > Google."""

    __tablename__ = "google_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    calendar_id: Mapped[str | None] = mapped_column(String(1024))
    populate_google: Mapped[bool] = mapped_column(Boolean, default=False)
    populate_studio: Mapped[bool] = mapped_column(Boolean, default=False)
    populate_since: Mapped[dt.date | None] = mapped_column(Date)
    two_way: Mapped[bool] = mapped_column(Boolean, default=False)
    download_tentative: Mapped[bool] = mapped_column(Boolean, default=False)
    import_contacts: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_groups.id", ondelete="SET NULL")
    )
    email_warnings: Mapped[bool] = mapped_column(Boolean, default=True)
    warnings_email: Mapped[str | None] = mapped_column(String(255))
    email_detailed_logs: Mapped[bool] = mapped_column(Boolean, default=False)
    detailed_logs_every: Mapped[str] = mapped_column(
        String(20), default="day", server_default="day"
    )  # "day": one digest a day; "round": an email after each round that did something
    privacy: Mapped[str] = mapped_column(String(20), default="full", server_default="full")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="google")
    contacts_group: Mapped[ClientGroup | None] = relationship()


class FeedCounter(Base):
    """One row holding the last sequence number handed out; its row lock orders commits."""

    __tablename__ = "feed_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class AppointmentChange(Base):
    """One entry of the appointment change feed: what happened to one appointment for one user."""

    __tablename__ = "appointment_changes"
    __table_args__ = (Index("ix_appointment_changes_user_seq", "user_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    appointment_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, "change_kind"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
