from django.urls import path

from surveys import optout, views

app_name = "surveys"
urlpatterns = [
    path("r/<str:token>/", views.questionnaire, name="questionnaire"),
    path("r/<str:token>/thanks/", views.thanks, name="thanks"),
    path("o/<str:signed>/", optout.opt_out_view, name="opt_out"),
]
