"""The compiler: text to a checked request body (parse, resolve, check, lower)."""
