"""Front ends: each parses its platform's input, calls the service and renders the reply."""
