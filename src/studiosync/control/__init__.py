"""The Control Center: jobs, schedules, computers, the sync processor, run logs and emails."""
