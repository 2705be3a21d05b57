from django.urls import path

from surveys.mail import optout
from surveys.questionnaire import views

app_name = "surveys"
urlpatterns = [
    path("r/<str:token>/", views.questionnaire, name="questionnaire"),
    path("r/<str:token>/thanks/", views.thanks, name="thanks"),
    path("r/<str:token>/language/", views.switch_language, name="language"),
    path("o/<str:signed>/", optout.opt_out_view, name="opt_out"),
]
