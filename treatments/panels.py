"""Chart sections for treatment sessions (registered in clinic.panels)."""
