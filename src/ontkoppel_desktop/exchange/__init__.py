"""Exchange with spreadsheets and calendars: a koppelingsronde read from .xlsx (calamine; openpyxl for cell
formats) or .csv, the uitslag and the templates written (XlsxWriter), and terms as .ics.
Kept out of core so the domain stays free of file formats."""
