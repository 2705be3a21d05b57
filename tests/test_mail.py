"""The embedded default's mail: one .eml file per message under var/mail, readable by any mail client."""

from email import message_from_bytes, policy

import pytest
from django.core import mail

from surveys.mail.sending import run_pass
from tests.helpers import INVITATION, at


@pytest.mark.django_db
def test_each_message_is_one_eml_file(settings, tmp_path, workshop_factory, participant_factory):
    settings.EMAIL_BACKEND = "rocbap.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    workshop = workshop_factory()
    participants = [participant_factory(workshop=workshop, administration=code) for code in ("FJ", "PG", "WS")]
    run_pass(at(INVITATION), in_process=True)
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3
    read = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(m["To"] for m in read) == sorted(p.email for p in participants)
    for message, path in zip(read, files, strict=True):
        assert message["Message-ID"].strip("<>").replace("@", "-") in path.name
        assert message.get_body(("plain",)).get_content().startswith("Dear ")
        assert message.get_body(("html",)) is not None


def test_the_file_backend_writes_what_it_is_given(settings, tmp_path):
    settings.EMAIL_BACKEND = "rocbap.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert mail.send_mail("Hello", "Text", "a@example.org", ["b@example.org"]) == 1
    [path] = tmp_path.glob("*.eml")
    assert message_from_bytes(path.read_bytes())["Subject"] == "Hello"
