from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("r/<str:token>/", views.questionnaire, name="questionnaire"),
    path("r/<str:token>/thanks/", views.thanks, name="thanks"),
]
