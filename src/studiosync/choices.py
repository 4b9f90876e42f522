"""The studio's fixed choices (roles, kinds, statuses): plain enums, free of the database layer."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    PHOTOGRAPHER = "photographer"
    ASSISTANT = "assistant"
    STAFF = "staff"
    ADMIN = "admin"


class ResourceKind(enum.StrEnum):
    LOCATION = "location"
    ROOM = "room"
    EQUIPMENT = "equipment"


class AppointmentStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class AssignmentRole(enum.StrEnum):
    PHOTOGRAPHER = "photographer"
    ASSISTANT = "assistant"
    OTHER = "other"


class SmtpSecurity(enum.StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


class Origin(enum.StrEnum):
    STUDIO = "studio"
    GOOGLE = "google"


class ChangeKind(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
