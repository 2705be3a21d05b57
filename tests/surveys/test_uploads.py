"""Workbooks kept between the import's preview and its confirmation."""

import io
import os
import time

import pytest

from surveys import uploads


@pytest.fixture(autouse=True)
def _var(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_a_kept_upload_is_read_once_then_gone():
    token = uploads.keep(io.BytesIO(b"workbook bytes"))
    with uploads.kept(token) as handle:
        assert handle.read() == b"workbook bytes"
    with pytest.raises(uploads.Gone), uploads.kept(token):
        pass


def test_an_error_while_importing_keeps_it_for_another_try():
    token = uploads.keep(io.BytesIO(b"x"))
    with pytest.raises(ValueError, match="the import failed"), uploads.kept(token):
        raise ValueError("the import failed")
    with uploads.kept(token) as handle:
        assert handle.read() == b"x"


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "short", "a" * 65])
def test_a_token_of_another_shape_names_nothing(token):
    with pytest.raises(uploads.Gone), uploads.kept(token):
        pass


def test_uploads_never_confirmed_are_removed_after_a_day(settings, tmp_path):
    old = uploads.keep(io.BytesIO(b"old"))
    path = tmp_path / "imports" / f"{old}.xlsx"
    a_day_ago = time.time() - uploads.KEEP_SECONDS - 1
    os.utime(path, (a_day_ago, a_day_ago))
    uploads.keep(io.BytesIO(b"new"))
    assert not path.exists()
