"""`schedc plan` and `schedc apply`: keeping live users in step with their files."""
