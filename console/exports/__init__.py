"""Documents the console hands out: the protocol as DOCX, the quarterly report as XLSX."""
