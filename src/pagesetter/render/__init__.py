"""Drawing the composed page as PDF (the only place ReportLab is used)."""
