"""A process's own questionnaires: a draft being built, and the versions published from it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, utcnow
from intake.models.submission import FormSnapshot


class Questionnaire(Base):
    """One questionnaire of one process; its definition is free text of the group, sealed.

    The draft holds the definition as the builder last saved it, valid or not, so
    nothing typed is lost; publishing checks it and freezes it as the next version.
    """

    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    form_id: Mapped[str] = mapped_column(String(40), unique=True)
    draft: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted JSON, None: none open
    # Raised by every save of the draft; a save from an older number is a conflict.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire",
        order_by="QuestionnaireVersion.version",
        cascade="all, delete-orphan",
    )

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:questionnaire"


class QuestionnaireVersion(Base):
    """A published version: frozen, and the snapshot records made with it point to."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    # Both go when the process is erased, in whichever order the database takes them.
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("form_snapshot.id", ondelete="CASCADE"))
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    snapshot: Mapped[FormSnapshot] = relationship()
