"""Stored files' metadata: powers of attorney (R7), priority proofs (R9), attachments."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from reception.citizens import Document, DocumentKind
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.tables import documents

_COLUMNS = columns(documents)
_ENUMS = {"kind": DocumentKind}


class SqlDocumentRepository(Repository):
    __slots__ = ()

    async def add(self, document: Document) -> Document:
        statement = insert(documents).values(values_of(document, _COLUMNS))
        document.id = (await self.conn.execute(statement.returning(documents.c.id))).scalar_one()
        return document

    async def get(self, document_id: int) -> Document:
        statement = select(documents).where(documents.c.id == document_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return build(Document, found(row, "document", document_id), convert=_ENUMS)

    async def for_request(self, request_id: int) -> list[Document]:
        statement = (
            select(documents).where(documents.c.request_id == request_id).order_by(documents.c.id)
        )
        rows = (await self.conn.execute(statement)).mappings()
        return [build(Document, row, convert=_ENUMS) for row in rows]

    async def attach(self, document_id: int, request_id: int) -> None:
        statement = (
            update(documents).where(documents.c.id == document_id).values(request_id=request_id)
        )
        if (await self.conn.execute(statement)).rowcount != 1:
            found(None, "document", document_id)
