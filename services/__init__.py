"""Domain services: pure logic shared by handlers and the scheduler."""
