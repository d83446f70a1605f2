"""`schedc explain`: the week a file gives, as a grid, JSON or SVG."""
