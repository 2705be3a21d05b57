from impact import urls as impact_urls
from reports import pdf_urls, staff_urls

app_name = "reports"
# The staff pages of replies and tables, the report PDF's and quotes' pages, and the impact pages (success stories,
# indicators, the administrations' ledger).
urlpatterns = staff_urls.urlpatterns + pdf_urls.urlpatterns + impact_urls.urlpatterns
