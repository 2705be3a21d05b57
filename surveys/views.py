"""The participant's pages. (Placeholder until the questionnaire lands.)"""

from django.http import Http404, HttpRequest, HttpResponse

from surveys.links import participant_for_token


def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    participant = participant_for_token(token)
    if participant is None:
        raise Http404
    return HttpResponse(f"Questionnaire for {participant.workshop.title}")
