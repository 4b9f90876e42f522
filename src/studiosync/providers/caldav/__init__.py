"""The Provider protocol over CalDAV calendars and CardDAV address books (iCloud, Fastmail...)."""
