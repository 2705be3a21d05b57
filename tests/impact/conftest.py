"""Fixtures of the impact tests: replies with descriptions, a survey manager, a report viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.helpers import at
from workshops.roles import REPORT_VIEWERS, SURVEY_MANAGERS


@pytest.fixture
def reply_factory(participant_factory):
    """A reply (submitted, or a draft) of a new participant, its answers given as keyword arguments."""
    from surveys.models import Response

    def make(workshop=None, administration="FJ", submitted: dt.date | None = None, draft=False, **answers):
        participant = participant_factory(workshop=workshop, administration=administration)
        when = at(submitted or dt.date(2020, 6, 20))
        values = {"q3_text": "A new risk management unit was set up.", **answers}
        if draft:
            return Response.objects.create(participant=participant, **values)
        return Response.objects.create(participant=participant, status="submitted", submitted_at=when, **values)

    return make


def _user(django_user_model, name: str, group: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def manager(client, django_user_model):
    client.force_login(_user(django_user_model, "manager", SURVEY_MANAGERS))
    return client


@pytest.fixture
def viewer(client, django_user_model):
    client.force_login(_user(django_user_model, "viewer", REPORT_VIEWERS))
    return client
