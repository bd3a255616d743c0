"""Mapping profiles shared by the bureau's evaluators in the PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from zjtx.intake.profiles import Profile, ProfileBook, ProfileError, check_name, check_unique
from zjtx.store.errors import StoreError
from zjtx.store.models import MappingProfile, utc_now

if TYPE_CHECKING:
    from zjtx.store.engine import Store

__all__ = ["StoreProfileBook", "open_profile_book", "profile_book_for"]


class StoreProfileBook:
    """The profiles kept in a store's database: every evaluator of the database reads and
    saves the same ones (the interface of ProfileBook; ``read`` still reads an exported file)."""

    shared = True
    read = staticmethod(ProfileBook.read)

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def where(self) -> str:
        return f"共享数据库 {self.store.location.display}"

    def _failed(self, doing: str, exc: Exception) -> ProfileError:
        # The database's own words may carry the URL; the display form is the safe one.
        return ProfileError(f"{doing}时共享数据库出错（{self.where}）：{type(exc).__name__}")

    @staticmethod
    def _profile(row: MappingProfile) -> Profile:
        return Profile.from_dict(row.document, f"共享数据库中的对应关系“{row.name}”")

    def list(self) -> list[Profile]:
        try:
            with self.store.session() as session:
                rows = session.scalars(select(MappingProfile).order_by(MappingProfile.name)).all()
                documents = [(row.name, row.document) for row in rows]
        except (StoreError, SQLAlchemyError) as exc:
            raise self._failed("读取对应关系", exc) from None
        found = []
        for name, document in documents:
            try:
                found.append(Profile.from_dict(document, f"共享数据库中的对应关系“{name}”"))
            except ProfileError:
                continue  # as with files: a damaged one is named by `zjtx profile show`
        return found

    def get(self, name: str) -> Profile:
        name = check_name(name)
        try:
            with self.store.session() as session:
                row = session.scalar(select(MappingProfile).where(MappingProfile.name == name))
                document = None if row is None else row.document
        except (StoreError, SQLAlchemyError) as exc:
            raise self._failed("读取对应关系", exc) from None
        if document is None:
            names = "、".join(p.name for p in self.list()) or "（还没有保存过）"
            raise ProfileError(f"{self.where}中没有名为“{name}”的对应关系；已保存的：{names}")
        return Profile.from_dict(document, f"共享数据库中的对应关系“{name}”")

    def by_fingerprint(self, fingerprint: str) -> Profile | None:
        return next((p for p in self.list() if p.fingerprint == fingerprint), None)

    def save(self, profile: Profile, *, replace: bool = False) -> None:
        """Save ``profile`` for everyone using the database; the checks of ProfileBook.save
        (a taken name, a layout saved under another name) hold across evaluators."""
        name = check_name(profile.name)
        if not profile.created:
            profile.created = utc_now().astimezone().isoformat(timespec="seconds")
        try:
            with self.store.write_session() as session:
                rows = session.scalars(
                    select(MappingProfile).where(
                        (MappingProfile.name == name)
                        | (MappingProfile.fingerprint == profile.fingerprint)
                    )
                ).all()
                mine = next((r for r in rows if r.name == name), None)
                other = next((r for r in rows if r.name != name), None)
                check_unique(
                    profile,
                    mine is not None,
                    None if other is None else self._profile(other),
                    replace,
                )
                if mine is None:
                    mine = MappingProfile(name=name)
                    session.add(mine)
                mine.fingerprint = profile.fingerprint
                mine.document = profile.to_dict()
                mine.saved_at = utc_now()
        except IntegrityError:
            # Another evaluator saved the same name or layout at the same moment.
            raise ProfileError(
                f"另一位评审人刚刚保存了同名或同样表头的对应关系“{name}”；请用 zjtx profile list 查看"
            ) from None
        except (StoreError, SQLAlchemyError) as exc:
            raise self._failed("保存对应关系", exc) from None

    def delete(self, name: str) -> None:
        self.get(name)
        try:
            with self.store.write_session() as session:
                session.execute(
                    delete(MappingProfile).where(MappingProfile.name == check_name(name))
                )
        except (StoreError, SQLAlchemyError) as exc:
            raise self._failed("删除对应关系", exc) from None


def profile_book_for(store: Store) -> ProfileBook | StoreProfileBook:
    """The profiles that go with an open store: shared in a PostgreSQL database, in the data
    folder next to an SQLite file."""
    if store.dialect == "postgresql":
        return StoreProfileBook(store)
    return ProfileBook.default()


@contextmanager
def open_profile_book(url: str | None = None) -> Iterator[ProfileBook | StoreProfileBook]:
    """The active profiles for the command line: the configured PostgreSQL database's (opened
    for the duration), or the data folder's when the store is SQLite (nothing opened).
    A database that cannot be opened raises StoreError."""
    from zjtx.store.engine import open_store
    from zjtx.store.settings import resolve_location

    if resolve_location(url).sqlite_path is not None:
        yield ProfileBook.default()
        return
    store = open_store(url)
    try:
        yield StoreProfileBook(store)
    finally:
        store.close()


def folder_only(book: ProfileBook | StoreProfileBook) -> list[Path]:
    """Profile files in the data folder that a shared book does not hold (left from before
    PostgreSQL was set up): `zjtx profile import` moves them in."""
    if not book.shared:
        return []
    folder = ProfileBook.default()
    kept = {p.name for p in book.list()}
    return [folder._path(p.name) for p in folder.list() if p.name not in kept]
