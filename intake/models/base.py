"""Declarative base with stable constraint names, which migrations rely on."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both SQLite and PostgreSQL.

    SQLite keeps no time zone, so values come back naive; comparing them with
    aware ones would raise, so every value is normalised to aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use intake.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # Given as one registry: Flask-SQLAlchemy subclasses this base, and
    # SQLAlchemy only carries a type map to subclasses through the registry.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def render_item_for_migrations(type_: str, obj: object, autogen_context) -> str | bool:
    """Write our column types as plain SQLAlchemy types in migration files.

    Migrations must keep working for years, so they must not import app code
    that may move or change.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def plain_enum(kind: type[enum.Enum]) -> Enum:
    """Enums stored as their values in a short text column, the same on every database."""
    return Enum(kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
