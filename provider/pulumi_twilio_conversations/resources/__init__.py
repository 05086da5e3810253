"""The cores: one module per Twilio resource, shared by both front doors (see `base`)."""
