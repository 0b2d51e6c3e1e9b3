"""Demo data: a realistic province for training, screenshots and tests."""
