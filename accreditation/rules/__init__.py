"""What the registers demand, as data: registers, categories, requirements, BIG norms."""
