"""What users see: charts, maps and the HTML report."""
