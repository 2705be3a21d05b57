from celery import shared_task

from reports.pdf import render_report


@shared_task(acks_late=True)
def render_report_pdf(fiscal_year: int) -> str:
    """Render and keep the FY's report; returns where the file was kept."""
    return str(render_report(fiscal_year))
