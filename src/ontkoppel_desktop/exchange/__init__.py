"""Exchange with spreadsheets: reading a koppelingsronde from .xlsx/.csv and writing the uitslag (openpyxl).
Kept out of core so the domain stays free of file formats."""
