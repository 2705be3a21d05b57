"""The participant's side: the schedule of a workshop's survey, its round, the personal link, the questionnaire
page (kept per workshop and language), the form and saving a reply. It sends no mail and reads no workbook
(import-linter holds it so)."""
