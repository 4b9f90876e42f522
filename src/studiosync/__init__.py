"""studiosync: a photography studio back office with two-way Google Calendar and Contacts sync."""

__version__ = "0.1.0"
