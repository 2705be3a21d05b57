"""The workbook import: the .xlsx reader, the columns and their cells, the checks, the writing (all or nothing),
the background jobs and their admin pages."""
