from reports import pdf_urls, staff_urls

app_name = "reports"
# The staff pages of replies and tables, and the report PDF's and quotes' pages.
urlpatterns = staff_urls.urlpatterns + pdf_urls.urlpatterns
