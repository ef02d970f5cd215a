from pathlib import Path

import pytest

from newsflow.errors import InputDirError
from newsflow.ingest import Rejected, SourceDocument, content_id, discover, read_document


def test_discovers_every_input_kind_recursively_sorted(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.md").write_text("T\n\nBody.")
    (tmp_path / "a.txt").write_text("T\n\nBody.")
    (tmp_path / "notes.csv").write_text("text\nno")
    (tmp_path / "page.HTML").write_text("<p>x</p>")
    (tmp_path / "notes.docx").write_text("no")
    found, rejected = discover(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.txt", "notes.csv", "page.HTML", "b/x.md"]
    assert rejected == []


def test_missing_input_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputDirError, match="does not exist"):
        discover(tmp_path / "nope")


def test_doc_id_is_a_content_hash_so_a_rename_keeps_it(tmp_path: Path):
    (tmp_path / "one.txt").write_text("Title\n\nSame body.")
    (tmp_path / "two.txt").write_text("Title\n\nSame body.")
    one = read_document(tmp_path / "one.txt", tmp_path)
    two = read_document(tmp_path / "two.txt", tmp_path)
    assert isinstance(one, SourceDocument) and isinstance(two, SourceDocument)
    assert one.doc_id == two.doc_id == content_id("Title\n\nSame body.")


def test_cp1251_russian_is_decoded_not_rejected(tmp_path: Path):
    text = "Путин и Ким Чен Ын провели переговоры\n\nСаммит длился около шести часов. Лидеры обсудили сотрудничество."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    doc = read_document(tmp_path / "ru.txt", tmp_path)
    assert isinstance(doc, SourceDocument)
    assert doc.text == text
    assert doc.encoding == "cp1251"


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"),
    (b"  \n\t \n", "blank"),
    (bytes(range(256)) * 4, "binary"),
])
def test_bad_files_are_rejected_with_a_reason(tmp_path: Path, payload: bytes, reason: str):
    (tmp_path / "bad.txt").write_bytes(payload)
    result = read_document(tmp_path / "bad.txt", tmp_path)
    assert isinstance(result, Rejected)
    assert (result.source_path, result.reason) == ("bad.txt", reason)
