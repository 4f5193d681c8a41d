"""Chart and dashboard sections for appointments (registered in clinic.panels)."""
