"""Report view-models and their reportlab/openpyxl renderers."""
